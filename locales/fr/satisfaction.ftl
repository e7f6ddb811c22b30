# L'enquête de satisfaction trimestrielle (bandeau, tableau de bord)
satisfaction-banner-title = Votre avis sur la participation
satisfaction-banner-text = Vous avez participé au trimestre { $quarter }. Dites-nous en une minute si la commune vous associe bien à ses décisions.
satisfaction-banner-answer = Répondre au questionnaire
satisfaction-banner-dismiss = Ne plus afficher
satisfaction-dismissed = Le bandeau ne s'affichera plus pour ce trimestre.
satisfaction-title = Satisfaction des habitants
satisfaction-lead = Chaque trimestre, les habitants qui ont participé sont invités à noter la participation de 1 à 5. Aucune note n'est détaillée sous 5 réponses.
satisfaction-create = Créer l'enquête de satisfaction du trimestre { $quarter }
satisfaction-this-quarter = L'enquête du trimestre { $quarter }
satisfaction-created = Le brouillon de l'enquête est créé : relisez-le, puis publiez-le.
satisfaction-already = L'enquête de ce trimestre existe déjà.
satisfaction-none = Aucune enquête de satisfaction pour l'instant.
satisfaction-scores = Note de satisfaction par trimestre (de 1 à 5) et nombre de réponses par note
satisfaction-quarter = Trimestre
satisfaction-answers = Réponses
satisfaction-mean = Note moyenne
