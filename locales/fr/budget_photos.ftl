# Les photos d'un projet de budget participatif (personnel et habitants).
budget-photos-link = { $count ->
    [0] Photos du projet (aucune)
    [one] Photos du projet ({ $count })
   *[other] Photos du projet ({ $count })
}
budget-photos-title = Photos de « { $title } »
budget-photos-lead = Un projet a { $max } photos au plus. Chacune a un texte qui dit ce qu'elle montre, lu aux personnes qui ne la voient pas. La première est la vignette du projet sur la page du budget et sur le bulletin.
budget-photos-during-vote = Le vote est ouvert : vous pouvez encore changer les photos, qui ne changent pas ce sur quoi les habitants votent. Chaque changement est inscrit au journal.
budget-photos-none = Ce projet n'a pas encore de photo.
budget-photos-number = Photo { $number }
budget-photos-alt = Ce que montre la photo
budget-photos-alt-hint = Par exemple : « L'allée centrale du parc, bordée de platanes, sans banc ». Pas « photo » ni « image ».
budget-photos-replace = Remplacer par une autre photo (facultatif)
budget-photos-replace-hint = JPEG, PNG ou WebP, 15 Mo au plus. Sans fichier, seul le texte change.
budget-photos-save = Enregistrer la photo { $number }
budget-photos-up = Monter la photo { $number }
budget-photos-down = Descendre la photo { $number }
budget-photos-remove = Retirer la photo { $number }
budget-photos-add = Ajouter une photo
budget-photos-file = Photo
budget-photos-file-hint = JPEG, PNG ou WebP, 15 Mo au plus. Elle est réenregistrée sans ses métadonnées (position GPS, appareil).
budget-photos-back = Retour au projet
budget-photos-error-missing = Choisissez la photo à ajouter.
budget-photos-error-alt-long = Le texte de la photo a { $max } caractères au plus.
budget-photos-error-already-there = Cette photo est déjà une photo du projet.
budget-photos-flash-added = La photo est ajoutée.
budget-photos-flash-saved = La photo est enregistrée.
budget-photos-flash-moved = L'ordre des photos est enregistré.
budget-photos-flash-removed = La photo est retirée.
budget-photos-heading = Photos
