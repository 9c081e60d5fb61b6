" Drive ALE's code-action menu (:ALECodeAction) as a user would: answer its numbered prompt
" with the number of the action titled $ACTION_TITLE, wait for the edit, write, quit.
function! ale#util#Input(message, value, ...) abort
    for l:line in split(a:message, "\n")
        let l:found = matchlist(l:line, '^\(\d\+\)) \(.*\)$')
        if !empty(l:found) && l:found[2] is# $ACTION_TITLE
            return l:found[1]
        endif
    endfor
    return ''
endfunction

let s:started = reltime()

function! s:Ask(timer) abort
    call cursor(str2nr($ACTION_LINE), 5)
    ALECodeAction
endfunction

function! s:Finish(timer) abort
    if &modified
        write
        qall!
    elseif reltimefloat(reltime(s:started)) > 60
        cquit 3
    endif
endfunction

call timer_start(100, function('s:Ask'))
call timer_start(200, function('s:Finish'), {'repeat': -1})
