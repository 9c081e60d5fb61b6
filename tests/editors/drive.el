;;; Drive eglot's own code-action menu in batch Emacs: pick the action titled $ACTION_TITLE
;;; at line $ACTION_LINE of $ACTION_FILE as a user would, wait for the edit, save, exit.
(let ((title (getenv "ACTION_TITLE"))
      (line (string-to-number (getenv "ACTION_LINE"))))
  (find-file (getenv "ACTION_FILE"))
  (run-hooks 'post-command-hook)  ; eglot-ensure connects after the command that opened the file
  (with-timeout (30 (message "seq2func did not attach") (kill-emacs 2))
    (while (not (eglot-current-server)) (accept-process-output nil 0.1)))
  (goto-char (point-min))
  (forward-line (1- line))
  (forward-char 4)
  (cl-letf (((symbol-function 'y-or-n-p) (lambda (&rest _) t))  ; "Server wants to edit: Proceed?"
            ((symbol-function 'completing-read)
             (lambda (_prompt collection &rest _)
               (dolist (item collection) (message "offered: %s" (car item)))
               title)))
    (let ((last-nonmenu-event ?\r))  ; chosen from the keyboard, not a mouse menu
      (eglot-code-actions (point) (point) nil t)))
  (with-timeout (60 (message "the buffer was not edited") (kill-emacs 3))
    (while (not (buffer-modified-p)) (accept-process-output nil 0.1)))
  (save-buffer)
  (kill-emacs 0))
