# bash completion for pkg.  Load it with:  eval "$(pkg complete --script bash)"
# or install it for bash-completion with:  pkg complete --install bash
#
# pkg complete reads the line from COMP_LINE and the cursor from COMP_POINT, and prints
# one candidate a line; with none, bash completes file names (-o default).

_pkg_complete()
{
    local IFS=$'\n'
    COMPREPLY=($(COMP_LINE="$COMP_LINE" COMP_POINT="$COMP_POINT" command pkg complete 2>/dev/null))
    # '!' starts a history expansion: complete '!foo' (a conflict request) as '\!foo'.
    COMPREPLY=("${COMPREPLY[@]//!/\\!}")
}

complete -o default -F _pkg_complete pkg
