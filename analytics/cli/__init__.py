"""`python -m analytics`: the command line, one module per command group.

    main.py     the parser, the dispatch and the exit codes every command shares
    common.py   what the groups share: dates, JSON output, a failure's sentence
    demo.py     demo                                     status.py   catalog, status
    users.py    users add|list|disable|enable|passwd     export.py   export --format csv|xlsx|docx
    intake.py   import, submissions, rollback            reports.py  reports submit|list|review|get

Every group registers the same way: `add_commands(sub)` adds its parsers and `COMMANDS` maps each command name
to its handler (args -> exit code); main.py lists the groups in menu order. The domain never imports this package.
"""
