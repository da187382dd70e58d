;;; gantry.el --- gantry, the Dockerfile language server, in Eglot and lsp-mode  -*- lexical-binding: t; -*-

;; Copy this file into your load path and `(require 'gantry)', or paste its body into your init
;; file. It needs a Dockerfile major mode: `dockerfile-mode' (package dockerfile-mode) or Emacs
;; 29's built-in `dockerfile-ts-mode'. Install gantry first: `cargo install --locked --path .'
;; from a clone of the gantry repository.

;;; Commentary:

;; Eglot: `M-x eglot' in a Dockerfile, or start it everywhere with
;;   (add-hook 'dockerfile-mode-hook #'eglot-ensure)
;; Settings use gantry.toml's keys, layered over gantry.toml and .hadolint.yaml:
;;   (setq-default eglot-workspace-configuration
;;                 '(:gantry (:ignore ["DL3008"] :severity (:DL3007 "error"))))
;;
;; lsp-mode: the client below is registered with a higher priority than lsp-mode's own
;; Dockerfile server, so `M-x lsp' picks gantry.

;;; Code:

(defgroup gantry nil
  "The gantry language server for Dockerfiles."
  :group 'tools)

(defcustom gantry-command '("gantry" "lsp")
  "The command that starts gantry's language server on stdio."
  :type '(repeat string)
  :group 'gantry)

;; Containerfiles and `*.containerfile' are Dockerfiles too (when dockerfile-mode is installed).
(when (locate-library "dockerfile-mode")
  (add-to-list 'auto-mode-alist '("/Containerfile\\(?:\\.[^/]*\\)?\\'" . dockerfile-mode))
  (add-to-list 'auto-mode-alist '("\\.[Cc]ontainerfile\\'" . dockerfile-mode))
  (add-to-list 'auto-mode-alist '("\\.[Dd]ockerfile\\'" . dockerfile-mode)))

(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs
               `((dockerfile-mode dockerfile-ts-mode) . ,gantry-command)))

(declare-function lsp-register-client "lsp-mode")
(declare-function make-lsp-client "lsp-mode")
(declare-function lsp-stdio-connection "lsp-mode")
(declare-function lsp-activate-on "lsp-mode")
(defvar lsp-language-id-configuration)

(with-eval-after-load 'lsp-mode
  (add-to-list 'lsp-language-id-configuration '(dockerfile-mode . "dockerfile"))
  (add-to-list 'lsp-language-id-configuration '(dockerfile-ts-mode . "dockerfile"))
  (lsp-register-client
   (make-lsp-client
    :new-connection (lsp-stdio-connection (lambda () gantry-command))
    :activation-fn (lsp-activate-on "dockerfile")
    :priority 1
    :server-id 'gantry)))

(provide 'gantry)
;;; gantry.el ends here
