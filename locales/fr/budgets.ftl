audit-action-budget-changed = Budget participatif modifié
budget-age-not-verified = Votre âge n'est pas vérifié : ce vote est réservé aux personnes ayant l'âge minimum, vérifié par la mairie.
