# shellcheck shell=bash
# A patched copy of the tree, under build/<preset>/patched-<slot>/: a
# repro entry's bug.patch applied, its targets built, the patch taken back
# out.  Used by repro-check (ctest label repro), hunt and bench-bugs.
# Callers set $top (the checkout) and $slot (one copy per user, so that
# they may run side by side), and run one entry at a time per copy.

patched_dir() {	# preset
	echo "$top/build/$1/patched-${slot:?}"
}

# Make the copy's files equal to ours.  Only a file whose content differs
# is written, so it gets a new mtime and ninja rebuilds what uses it; the
# rest keep theirs.  (Preserving our mtimes instead would hide a file that
# the previous entry's patch changed and its revert changed back: its
# objects would keep the old patch.)
patched_sync() {	# from to path...
	local from=$1 to=$2 f
	shift 2
	for f in "$@"; do
		if [ -d "$from/$f" ]; then
			(cd "$from" && find "$f" -type f) | while IFS= read -r g; do
				cmp -s "$from/$g" "$to/$g" || { mkdir -p "$(dirname "$to/$g")"; cp "$from/$g" "$to/$g"; }
			done
			# Files we no longer have go from the copy too.
			(cd "$to" && find "$f" -type f) | while IFS= read -r g; do
				[ -e "$from/$g" ] || rm -f "$to/$g"
			done
		else
			cmp -s "$from/$f" "$to/$f" || cp "$from/$f" "$to/$f"
		fi
	done
}

# Copy the sources (not builds, not repro/) and configure the preset.
patched_prepare() {	# preset
	local preset=$1 d
	d=$(patched_dir "$preset")
	mkdir -p "$d"
	patched_sync "$top" "$d" CMakeLists.txt CMakePresets.json core fuzzers corpus scripts
	# Its own repository: run inside this checkout, git apply would take
	# the patch's paths as ours and silently skip them (outside its cwd).
	[ -d "$d/.git" ] || git init -q "$d"
	if [ ! -f "$d/build/$preset/build.ninja" ]; then
		(cd "$d" && cmake --preset "$preset" >/dev/null) ||
			{ echo "patched: cannot configure $preset in $d" >&2; return 1; }
	fi
}

# Apply repro/<id>/bug.patch to the copy; a clear message if it does not apply.
patched_apply() {	# preset id
	local d patch=$top/repro/$2/bug.patch
	d=$(patched_dir "$1")
	[ -f "$patch" ] || { echo "patched: repro/$2 has no bug.patch" >&2; return 1; }
	if ! (cd "$d" && git apply --whitespace=nowarn "$patch" 2>"$d/apply.err") ||
	   ! (cd "$d" && git apply -R --check "$patch" 2>>"$d/apply.err"); then
		echo "patched: repro/$2/bug.patch no longer applies to core/:" >&2
		sed 's/^/  /' "$d/apply.err" >&2
		echo "patched: refresh repro/$2/bug.patch against the current model (see repro/$2/README.md)" >&2
		return 1
	fi
}

patched_revert() {	# preset id
	local d
	d=$(patched_dir "$1")
	(cd "$d" && git apply -R --whitespace=nowarn "$top/repro/$2/bug.patch")
}

patched_build() {	# preset target...
	local preset=$1 d
	shift
	d=$(patched_dir "$preset")
	cmake --build "$d/build/$preset" --target "$@" > "$d/build.log" 2>&1 ||
		{ echo "patched: build failed, see $d/build.log" >&2; tail -20 "$d/build.log" >&2; return 1; }
}

patched_bin() {	# preset target
	echo "$(patched_dir "$1")/build/$1/bin/$2"
}
