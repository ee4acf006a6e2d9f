"""The shared core every capability uses: settings (data/settings.toml, ANTQ_*), the string catalogues
(`t`, locales/{vi,en}/) and Vietnamese text (matching keys, numbers and dates)."""
