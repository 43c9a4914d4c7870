#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Installs ws2send into a Wine prefix, or takes it out again.
#
#   setup_ws2send.sh install   [--symlink] [--prefix DIR]
#   setup_ws2send.sh uninstall [--prefix DIR]
#
# The prefix is DIR, else $WINEPREFIX, else ~/.wine.  install puts
# x64/ws2_32.dll (beside this script) into the prefix's system32 and
# x32/ws2_32.dll into syswow64 (into system32 in a 32-bit prefix), keeping
# Wine's own files as ws2_32.dll.before-ws2send, and sets the DllOverrides
# value ws2_32=native,builtin for the user (HKCU\Software\Wine\DllOverrides,
# through `wine reg`).  --symlink links the DLLs instead of copying them.
# uninstall puts Wine's files back and restores the override value that was
# there before (removes it if there was none).  Both may be run again: a
# second install updates the DLLs, a second uninstall does nothing.
#
# Environment: WINE, the wine launcher to use (default: wine from PATH; use
# the one that runs the prefix, e.g. a Proton build's files/bin/wine).
set -euo pipefail

overrides_key='HKEY_CURRENT_USER\Software\Wine\DllOverrides'
override='native,builtin'
backup_suffix='.before-ws2send'
# Records, per prefix, the override value found by the first install.
state_name='.ws2send-setup'

me=$(basename "$0")
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)

die() { echo "$me: $*" >&2; exit 1; }
say() { echo "$me: $*"; }

usage() {
    sed -n '4,20p' "$(readlink -f "$0")" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

# --- arguments -----------------------------------------------------------

action=
link=false
prefix=${WINEPREFIX:-}
while [ $# -gt 0 ]; do
    case $1 in
        install|uninstall)
            [ -z "$action" ] || usage
            action=$1 ;;
        --symlink) link=true ;;
        --prefix)
            [ $# -ge 2 ] || usage
            prefix=$2; shift ;;
        --prefix=*) prefix=${1#--prefix=} ;;
        -h|--help) usage ;;
        *) echo "$me: unknown argument '$1'" >&2; usage ;;
    esac
    shift
done
[ -n "$action" ] || usage
if [ -z "$prefix" ]; then
    [ -n "${HOME:-}" ] || die "no prefix given and HOME is not set"
    prefix=$HOME/.wine
fi

# --- checks --------------------------------------------------------------

[ -d "$prefix" ] || die "no Wine prefix at $prefix (set WINEPREFIX or use --prefix DIR)"
prefix=$(cd "$prefix" && pwd)
if [ ! -f "$prefix/system.reg" ] || [ ! -d "$prefix/drive_c/windows/system32" ]; then
    die "$prefix is not a Wine prefix (no system.reg or drive_c/windows/system32)"
fi

wine=${WINE:-wine}
command -v "$wine" >/dev/null 2>&1 ||
    die "cannot find '$wine': install Wine, or set WINE to the wine launcher that runs this prefix"

# A 64-bit prefix runs 32-bit programs through WoW64 from syswow64.
case $(sed -n 's/^#arch=//p' "$prefix/system.reg" | head -n 1) in
    win64) arch=win64 ;;
    win32) arch=win32 ;;
    *) if [ -d "$prefix/drive_c/windows/syswow64" ]; then arch=win64; else arch=win32; fi ;;
esac
system32=$prefix/drive_c/windows/system32
syswow64=$prefix/drive_c/windows/syswow64

# The PE machine of a DLL: 8664 (x86_64) or 14c (i386).
pe_machine() {
    local offset
    offset=$(od -An -t u4 -j 60 -N 4 "$1" 2>/dev/null | tr -d ' ') || return 0
    [ -n "$offset" ] && od -An -t x2 -j $((offset + 4)) -N 2 "$1" 2>/dev/null | tr -d ' '
}

# Every ws2send build carries the string "ws2send <version>"; Wine's does not.
is_ws2send() {
    [ -f "$1" ] && grep -aq 'ws2send [0-9a-f]' "$1"
}

# Wine marks its builtin DLLs with this right after the DOS header.
is_wine_builtin() {
    [ -f "$1" ] && [ "$(dd if="$1" bs=1 skip=64 count=16 2>/dev/null)" = "Wine builtin DLL" ]
}

layout_error() {
    die "wrong file layout: expected $here/x64/ws2_32.dll (x86_64) and $here/x32/ws2_32.dll (i686) beside $me, as in ws2send's release package ($*)"
}
check_dll() {
    local file=$here/$1/ws2_32.dll machine=$2
    [ -f "$file" ] || layout_error "$1/ws2_32.dll is missing"
    is_ws2send "$file" || layout_error "$1/ws2_32.dll is not ws2send"
    [ "$(pe_machine "$file")" = "$machine" ] || layout_error "$1/ws2_32.dll is for another architecture"
}
if [ "$action" = install ]; then
    [ $arch = win32 ] || check_dll x64 8664
    check_dll x32 014c
fi

# The system directories of this prefix and the package folder of the DLL
# each gets.
if [ $arch = win64 ]; then
    target_dirs=("$system32")
    target_dlls=(x64)
    if [ -d "$syswow64" ]; then
        target_dirs+=("$syswow64")
        target_dlls+=(x32)
    else
        say "no syswow64 in $prefix: 64-bit only"
    fi
else
    target_dirs=("$system32")
    target_dlls=(x32)
fi

# --- the override --------------------------------------------------------

run_wine() {
    WINEPREFIX=$prefix WINEDEBUG=-all "$wine" "$@"
}

# Prints the current override value; fails if there is none.  `reg query`
# prints "    ws2_32    REG_SZ    <value>" (CRLF), the value may be empty.
current_override() {
    local out line
    out=$(run_wine reg query "$overrides_key" /v ws2_32 2>/dev/null) || return 1
    line=$(printf '%s\n' "$out" | tr -d '\r' | grep -i -m 1 '^ *ws2_32  *REG_') || return 1
    printf '%s\n' "$line" | sed 's/^ *[^ ]*  *REG_[A-Z_]* \{0,4\}//'
}

set_override() {
    run_wine reg add "$overrides_key" /v ws2_32 /t REG_SZ /d "$1" /f >/dev/null 2>&1 ||
        die "wine reg add failed: could not set ws2_32=$1 in $overrides_key"
}

delete_override() {
    if ! run_wine reg delete "$overrides_key" /v ws2_32 /f >/dev/null 2>&1 && current_override >/dev/null; then
        die "wine reg delete failed: could not remove ws2_32 from $overrides_key"
    fi
}

state=$prefix/$state_name

# --- Wine's own ws2_32.dll -----------------------------------------------

# A Windows path as the prefix maps it: \??\Z:\x through dosdevices/z:,
# \??\unix\x as /x.
unix_path() {
    local nt="\\??\\" path root drive
    path=${1#"$nt"}
    case $path in
        unix\\*) path=${path#unix} ;;
        [A-Za-z]:*)
            drive=${path:0:1}
            root=$(readlink -f "$prefix/dosdevices/${drive,,}:") || return 1
            path=${root%/}${path:2} ;;
        *) return 1 ;;
    esac
    printf '%s\n' "${path//\\//}"
}

# The directories Wine's loader gives its 32-bit and 64-bit processes
# (WINEDLLDIR<n>), one a line.
wine_dll_dirs() {
    local line
    run_wine cmd /c 'set WINEDLLDIR& C:\windows\sysnative\cmd.exe /c set WINEDLLDIR' 2>/dev/null |
        tr -d '\r' | sed -n 's/^WINEDLLDIR[0-9]*=//p' | while read -r line; do unix_path "$line"; done
}

# Prints Wine's ws2_32.dll for a PE machine (8664, 014c), as Wine's loader
# would find it: <dir>/<arch>-windows/ (Wine 7 and later) or <dir>/.  Used
# where no copy of Wine's file was kept (ws2send copied in by hand): wineboot
# cannot put it back, as it imports ws2_32 itself.
wine_builtin() {
    local machine=$1 pe_dir=i386-windows dir file
    [ "$machine" = 8664 ] && pe_dir=x86_64-windows
    [ -n "${dll_dirs+set}" ] || dll_dirs=$(wine_dll_dirs)
    while read -r dir; do
        for file in "$dir/$pe_dir/ws2_32.dll" "$dir/ws2_32.dll"; do
            if is_wine_builtin "$file" && [ "$(pe_machine "$file")" = "$machine" ]; then
                printf '%s\n' "$file"
                return 0
            fi
        done
    done <<<"$dll_dirs"
    return 1
}

# --- install -------------------------------------------------------------

install_dll() {
    local dir=$1 pkg=$2 dest src original
    dest=$dir/ws2_32.dll
    src=$here/$pkg/ws2_32.dll
    if [ -e "$dest" ] || [ -L "$dest" ]; then
        if is_ws2send "$dest" || { [ -L "$dest" ] && [ ! -e "$dest" ]; }; then
            # An earlier install (a copy, or a link, even a dangling one).
            if [ ! -e "$dest$backup_suffix" ]; then
                # Copied in by hand: keep Wine's own file instead.
                original=$(wine_builtin "$(pe_machine "$src")") ||
                    die "cannot find Wine's own ws2_32.dll to keep for uninstall (WINEDLLDIR<n> of $wine)"
                cp "$original" "$dest$backup_suffix"
            fi
            rm -f "$dest"
        else
            # Wine's own file (or whatever was there): kept to be put back.
            mv -f "$dest" "$dest$backup_suffix"
        fi
    elif [ ! -e "$dest$backup_suffix" ]; then
        echo "missing=$dir" >> "$state.new"
    fi
    if $link; then
        ln -s "$src" "$dest"
    else
        cp "$src" "$dest"
    fi
    say "$pkg/ws2_32.dll -> $dest$($link && echo ' (link)')"
}

do_install() {
    local previous i
    if [ -f "$state" ]; then
        cp "$state" "$state.new"
    else
        # First install: remember the override the user had.
        if previous=$(current_override); then
            echo "override=$previous" > "$state.new"
        else
            echo "override-absent" > "$state.new"
        fi
    fi
    for i in "${!target_dirs[@]}"; do
        install_dll "${target_dirs[$i]}" "${target_dlls[$i]}"
    done
    mv -f "$state.new" "$state"
    set_override "$override"
    say "ws2_32=$override set in $overrides_key"
    say "installed into $prefix"
}

# --- uninstall -----------------------------------------------------------

uninstall_dll() {
    local dir=$1 machine=8664 dest original
    dest=$dir/ws2_32.dll
    if [ -e "$dest$backup_suffix" ] || [ -L "$dest$backup_suffix" ]; then
        mv -f "$dest$backup_suffix" "$dest"
        say "restored Wine's $dest"
    elif is_ws2send "$dest" || [ -L "$dest" ]; then
        if [ -f "$state" ] && grep -qxF "missing=$dir" "$state"; then
            rm -f "$dest"
            say "removed $dest (there was none before)"
        else
            # ws2send copied in by hand: no copy of Wine's file was kept.
            [ "$2" = x64 ] || machine=014c
            original=$(wine_builtin "$machine") ||
                die "cannot find Wine's own ws2_32.dll to put back as $dest (WINEDLLDIR<n> of $wine)"
            rm -f "$dest"
            cp "$original" "$dest"
            say "put Wine's $original back as $dest"
        fi
    fi
}

# Puts back the override value the first install found, or none.
restore_override() {
    if grep -qx 'override-absent' "$state"; then
        delete_override
        say "ws2_32 removed from $overrides_key"
    else
        local value
        value=$(sed -n 's/^override=//p' "$state" | head -n 1)
        set_override "$value"
        say "ws2_32=$value restored in $overrides_key"
    fi
}

do_uninstall() {
    local dir i installed=false
    [ -f "$state" ] && installed=true
    for dir in "${target_dirs[@]}"; do
        if is_ws2send "$dir/ws2_32.dll" || [ -e "$dir/ws2_32.dll$backup_suffix" ]; then installed=true; fi
    done
    if ! $installed; then
        say "ws2send is not installed in $prefix; nothing to do"
        return 0
    fi
    for i in "${!target_dirs[@]}"; do
        uninstall_dll "${target_dirs[$i]}" "${target_dlls[$i]}"
    done
    if [ -f "$state" ]; then
        restore_override
        rm -f "$state"
    elif [ "$(current_override || true)" = "$override" ]; then
        # No record of the value before: take out what install sets.
        delete_override
        say "ws2_32 removed from $overrides_key"
    fi
    say "uninstalled from $prefix"
}

case $action in
    install) do_install ;;
    uninstall) do_uninstall ;;
esac
