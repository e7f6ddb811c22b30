# Budget participatif : le suivi des projets lauréats (src/web/budgets/follow_up.rs,
# src/web/admin/budget_follow_up.rs).

budget-link-follow-up = Suivi des projets
budget-follow-up-title-of = Suivi des projets lauréats — { $process }
budget-follow-up-lead = Où en sont les projets que vous avez choisis : leur état, leur avancement et les grandes étapes des travaux.
budget-follow-up-not-yet = Le suivi des projets commencera quand le vote sera clos et les résultats connus.
budget-follow-up-no-winner = Aucun projet n'a été retenu.
budget-follow-up-of-project = Suivre la réalisation de ce projet
budget-follow-up-status = État :
budget-follow-up-status-studying = À l'étude
budget-follow-up-status-in-progress = En travaux
budget-follow-up-status-done = Terminé
budget-follow-up-status-abandoned = Abandonné
budget-follow-up-abandoned-because = Raison de l'abandon : { $reason }
budget-follow-up-progress-of = Avancement de « { $project } »
budget-follow-up-progress = Avancement : { $percent } %
budget-follow-up-milestones = Étapes
budget-follow-up-no-milestone = Aucune étape publiée pour l'instant.

budget-follow-up-staff-title = Suivi des projets lauréats
budget-follow-up-status-title = État et avancement
budget-follow-up-field-status = État du projet
budget-follow-up-field-progress = Avancement, en pourcentage
budget-follow-up-field-progress-hint = Un nombre de 0 à 100. Un projet terminé est à 100 %.
budget-follow-up-field-reason = Raison de l'abandon (publiée ; seulement si le projet est abandonné)
budget-follow-up-field-date = Date de l'étape
budget-follow-up-field-date-hint = Par exemple 15/03/2027.
budget-follow-up-field-title = Titre de l'étape
budget-follow-up-field-text = Texte de l'étape (facultatif, Markdown)
budget-follow-up-add = Ajouter l'étape
budget-follow-up-edit = Modifier
budget-follow-up-edit-title = Modifier une étape
budget-follow-up-remove = Supprimer
budget-follow-up-error-progress = Indiquez un avancement entre 0 et 100.
budget-follow-up-error-reason = Indiquez pourquoi le projet est abandonné.
budget-follow-up-error-title = Indiquez un titre de 200 caractères au plus.
budget-follow-up-error-too-long = Ce texte est trop long : 2 000 caractères au plus.
budget-follow-up-error-too-many = Ce projet a déjà 100 étapes : supprimez-en avant d'en ajouter.
budget-follow-up-error-date = Indiquez une date, par exemple 15/03/2027.
budget-follow-up-error-no-results = Le vote n'est pas clos : les projets lauréats ne sont pas encore connus.
budget-follow-up-error-not-winner = Ce projet n'a pas été retenu par le vote : seuls les projets lauréats ont un suivi.
budget-follow-up-flash-status = L'état du projet est enregistré.
budget-follow-up-flash-added = L'étape est ajoutée.
budget-follow-up-flash-saved = L'étape est modifiée.
budget-follow-up-flash-removed = L'étape est supprimée.
