# fish completion for pkg.  Load it with:  pkg complete --script fish | source
# or install it with:  pkg complete --install fish
#
# pkg complete reads the line from COMP_LINE and the cursor from COMP_POINT, and prints
# one candidate a line; with none, file names are completed.

function __pkg_complete
    set -l line (commandline -cp)
    set -l candidates (env COMP_LINE="$line" COMP_POINT=(string length -- "$line") pkg complete 2>/dev/null)
    if test (count $candidates) -gt 0
        printf '%s\n' $candidates
    else
        __fish_complete_path (commandline -ct)
    end
end

complete -c pkg -e
complete -c pkg -f -a '(__pkg_complete)'
