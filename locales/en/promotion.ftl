audit-action-short-link-changed = Short address changed
