audit-action-short-link-changed = Adresse courte modifiée
