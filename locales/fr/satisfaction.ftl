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
satisfaction-mail-subject = Votre avis sur la participation ({ $quarter })
satisfaction-mail-text = Vous avez participé ce trimestre ({ $quarter }) : proposition, soutien, commentaire, signalement, réponse, vote ou inscription. Dites-nous en une minute si la commune vous associe bien à ses décisions, en répondant au questionnaire « { $title } ». Vous ne recevrez ce message qu'une fois pour ce trimestre.
satisfaction-public-lead = Chaque trimestre, les habitants qui ont participé notent la participation de 1 à 5. La note d'un trimestre paraît à la clôture de son enquête, et seulement à partir de 5 réponses.
satisfaction-too-few = moins de 5 réponses
metrics-chart-satisfaction = Note moyenne de satisfaction par trimestre (de 1 à 5)
metrics-desc-satisfaction = Note moyenne de satisfaction des habitants (de 1 à 5) pour chaque trimestre, la plus ancienne en haut ; le nombre de réponses est dans le tableau.
satisfaction-comments-title = Commentaires libres du trimestre { $quarter }
satisfaction-comments-count = { $count ->
        [0] Aucun commentaire.
        [one] 1 commentaire.
       *[other] { $count } commentaires.
    }
satisfaction-comments-read = Lire et étiqueter les commentaires
satisfaction-comments-no-tags = Aucune étiquette pour l'instant : créez-en (par exemple « accessibilité », « lenteur ») sur la page des commentaires, puis cochez les commentaires qui s'y rapportent.
satisfaction-tags-caption = Commentaires par étiquette, trimestre { $quarter }
satisfaction-tag = Étiquette
satisfaction-tag-count = Commentaires
