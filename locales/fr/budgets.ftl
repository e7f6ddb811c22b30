audit-action-budget-changed = Budget participatif modifié
budget-age-not-verified = Votre âge n'est pas vérifié : ce vote est réservé aux personnes ayant l'âge minimum, vérifié par la mairie.

## The residents' pages (`web::budgets`)
nav-budgets = Budget participatif
budgets-title = Budgets participatifs
budgets-lead = La commune réserve une part de son budget d'investissement à des projets proposés par les habitants, étudiés par les services, puis choisis par votre vote.
budgets-none = Aucun budget participatif pour le moment.
budget-current-phase = Étape en cours :
budget-total = Montant total : { $amount }
budget-phases-title = Les étapes
budget-phase-draft = Brouillon
budget-phase-forthcoming = À venir
budget-phase-submission = Dépôt des projets
budget-phase-study = Analyse par les services
budget-phase-vote = Vote
budget-phase-results = Résultats
budget-phase-follow-up = Suivi des réalisations
budget-phase-from = à partir du { $date }
budget-phase-now = en cours
budget-pot-neighbourhood = Quartier { $neighbourhood }
budget-pot-commune = Toute la commune
budget-link-process = Présentation et projets
budget-link-vote = Voter
budget-link-results = Résultats
budget-study-pending = En cours d'analyse
budget-study-feasible = Réalisable
budget-study-cost = coût estimé par les services : { $cost }
budget-study-not-feasible = Non réalisable :
budget-style-basket = Vote « panier » : choisissez des projets dont le total ne dépasse pas le montant de chaque enveloppe.
budget-style-approval = Choisissez jusqu'à { $max } projets dans chaque enveloppe.
budget-whole-commune = Toute la commune
budget-proposed-cost = coût proposé : { $cost }
budget-rules-title = Les règles de ce budget
budget-audience-signed-in = Toute personne ayant un compte peut voter.
budget-audience-verified = Seuls les habitants dont la mairie a vérifié le compte peuvent voter.
budget-min-age = Il faut avoir au moins { $age } ans, âge vérifié par la mairie.
budget-changeable = Vous pouvez modifier votre vote jusqu'à la clôture.
budget-final = Un vote est définitif : il ne peut pas être modifié.
budget-secret = Le vote est secret : la liste de celles et ceux qui ont voté et l'urne sont séparées, et un bulletin ne porte ni nom ni heure.
budget-rule-greedy = Les projets retenus sont choisis par nombre de voix, en passant ceux qui ne tiennent plus dans le montant restant.
budget-rule-neighbourhoods = Le projet le mieux classé de chaque quartier est retenu d'abord, s'il tient dans le budget ; puis les autres par nombre de voix.
budget-rule-equal-shares = Les projets retenus sont choisis par la méthode des parts égales : chaque votant dispose d'une part égale du budget.
budget-no-projects = Aucun projet dans cette enveloppe.
budget-projects-title = Projets
budget-projects-csv = Télécharger les projets soumis au vote (CSV)
budget-field-number = Numéro
budget-field-pot = Enveloppe
budget-field-neighbourhood = Quartier
budget-field-category = Catégorie
budget-field-proposed-cost = Coût proposé
budget-field-study = Analyse des services
budget-field-location = Emplacement
budget-field-description = Description
budget-map-label = Carte : emplacement du projet
budget-from-proposal = Voir la proposition d'où vient ce projet

## The ballot
budget-vote-title = Voter : { $title }
budget-not-allowed-verified = Ce vote est réservé aux habitants dont la mairie a vérifié le compte.
budget-too-young = Ce vote est réservé aux personnes ayant l'âge minimum fixé par la commune.
budget-get-verified = Faire vérifier mon compte
budget-total-chosen = Total choisi :
budget-total-of = sur { $amount }
budget-total-left = Reste :
budget-over-pot = Votre choix dépasse le montant de cette enveloppe : retirez un projet.
budget-count-chosen = Projets choisis :
budget-too-many = Vous avez choisi plus de { $max } projets dans cette enveloppe : retirez-en.
budget-one-neighbourhood = Vous pouvez choisir des projets pour toute la commune et pour un seul quartier.
budget-recalculate = Recalculer
budget-cast-vote = Voter
budget-change-vote = Modifier mon vote
budget-vote-not-yet = Le vote ouvrira le { $date }.
budget-vote-over = Le vote est clos.
budget-sign-in-to-vote = Connectez-vous pour voter : une personne, un vote.
budget-sign-in = Se connecter pour voter
budget-voted-on = Vous avez voté le { $day }.
budget-voted-on-paper = Vous avez voté sur papier le { $day }.
budget-may-change = Vous pouvez modifier votre vote jusqu'à la clôture : votre nouveau bulletin remplacera le précédent.
budget-vote-final = Votre vote est définitif.
budget-error-over = Votre choix dépasse le montant de cette enveloppe : retirez un projet, puis votez.
budget-error-too-many = Vous avez choisi plus de { $max } projets dans cette enveloppe : retirez-en, puis votez.
budget-error-neighbourhoods = Vous avez choisi des projets dans deux quartiers : gardez ceux d'un seul quartier.
budget-error-empty = Choisissez au moins un projet.
budget-error-not-on-ballot = Un projet choisi n'est pas soumis au vote : rechargez la page.
budget-error-already-voted = Vous avez déjà voté dans ce budget participatif.
flash-budget-voted = Votre vote est enregistré. Merci !
flash-budget-vote-changed = Votre vote est modifié : votre nouveau bulletin remplace le précédent.

## The results
budget-results-title = Résultats : { $title }
budget-results-later = Les résultats seront publiés à la clôture du vote, le { $date }. Personne, pas même la mairie, ne voit les décomptes avant.
budget-results-partial = Résultats provisoires : le vote est encore ouvert.
budget-ballots-count = { $count ->
    [one] { $count } bulletin dans l'urne.
   *[other] { $count } bulletins dans l'urne.
}
budget-pot-voters = { $count ->
    [one] { $count } votant a choisi au moins un projet de cette enveloppe.
   *[other] { $count } votants ont choisi au moins un projet de cette enveloppe.
}
budget-no-winner = Aucun projet retenu.
budget-winners = Projets retenus :
budget-spent = Montant engagé : { $spent } sur { $amount }.
budget-ranking = Classement
budget-col-rank = Rang
budget-col-project = Projet
budget-col-votes = Voix
budget-col-cost = Coût
budget-col-won = Retenu
budget-won = Retenu
budget-not-won = Non retenu
budget-how-title = Comment les projets ont été retenus
budget-rule-greedy-explained = Les projets sont pris dans l'ordre des voix ; un projet qui ne tient plus dans ce qui reste de l'enveloppe est passé, et l'on continue avec le suivant.
budget-rule-neighbourhoods-explained = En descendant le classement, on retient d'abord le projet le mieux classé de chaque quartier, s'il tient dans l'enveloppe ; puis les autres dans l'ordre des voix, en passant ceux qui ne tiennent plus.
budget-rule-equal-shares-explained = Méthode des parts égales : chaque votant reçoit une part égale de l'enveloppe. Un projet est financé quand ceux qui l'ont choisi peuvent le payer ensemble, chacun la même somme ou tout ce qui lui reste ; le projet qui coûte le moins à chacun de ses soutiens est financé le premier.
budget-example-taken = Par exemple : « { $project } » ({ $votes } voix, { $cost }) tenait dans l'enveloppe : il est retenu, il reste { $left }.
budget-example-skipped = « { $project } » ({ $votes } voix, { $cost }) ne tenait plus dans les { $left } restants : il n'est pas retenu, et l'on est passé au suivant.
budget-example-min-votes = « { $project } » n'a que { $votes } voix, moins que le minimum de { $min } : il n'est pas retenu.
budget-example-all-fit = Tous les projets tenaient dans l'enveloppe dans l'ordre des voix.
budget-example-neighbourhood-first = Par exemple : « { $project } » ({ $votes } voix, { $cost }) est le projet le mieux classé du quartier { $neighbourhood } qui tenait dans l'enveloppe : il est retenu d'abord.
budget-example-shares = Ici, { $voters } votants se partagent { $amount } : chacun dispose de { $share }.
budget-example-shares-first = « { $project } » ({ $votes } voix, { $cost }) coûte { $each } à chacun de ses soutiens, moins que leur part : il est financé le premier.
budget-example-shares-rest = Quand plus aucun projet ne peut être payé ainsi, l'argent qui reste va aux projets suivants par nombre de voix, tant qu'ils tiennent.
budget-tie-rule = En cas d'égalité de voix, le projet le moins cher passe devant ; à coût égal, celui qui a le plus petit numéro.
budget-tie-cheaper = « { $first } » et « { $second } » ont { $votes } voix chacun : « { $first } », moins cher, est classé devant.
budget-tie-number = « { $first } » et « { $second } » ont { $votes } voix chacun et le même coût : « { $first } », de plus petit numéro, est classé devant.
budget-participation-title = Qui a voté
budget-participation-intro = { $count ->
    [one] { $count } personne a voté. Par quartier et par âge, comparé au recensement ; un groupe de moins de 5 personnes n'est pas détaillé.
   *[other] { $count } personnes ont voté. Par quartier et par âge, comparé au recensement ; un groupe de moins de 5 personnes n'est pas détaillé.
}
budget-groups-by-quartier = Votants par quartier
budget-groups-by-age = Votants par âge
budget-groups-voters = Votants
budget-groups-voter-share = Part des votants
budget-downloads-title = Télécharger et recompter
budget-results-csv = Télécharger les résultats (CSV)
budget-ballots-csv = Télécharger les bulletins anonymes (CSV)
budget-ballots-after-close = Les bulletins anonymes seront téléchargeables après la clôture du vote.
budget-recount-link = Comment recompter les résultats soi-même
budget-recount-title = Recompter un budget participatif
budget-recount-script = Télécharger le script de recomptage (recount.py)
home-budget-title = Budget participatif : le vote est ouvert
home-budget-vote = Voter pour les projets de « { $title } »
