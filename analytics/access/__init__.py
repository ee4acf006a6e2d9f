"""Who may do what: accounts, roles and sign-in (`auth`), browser sessions (`sessions`), the audit log."""
