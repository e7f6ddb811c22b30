# Les données ouvertes (src/web/opendata.rs)
opendata-staff-title = Données ouvertes
opendata-staff-lead = Tout ce que le site publie, en CSV et en JSON dans un fichier ZIP, avec la licence choisie dans la configuration et la description de chaque colonne, prêt pour data.gouv.fr. Il est refait chaque nuit ; aucune adresse électronique, adresse IP, nom caché ni contenu masqué n'y figure.
opendata-staff-last = Dernière version : { $date }.
opendata-staff-never = Le fichier n'a pas encore été fait.
opendata-staff-generate = Refaire le fichier maintenant
opendata-download = Télécharger les données ouvertes (ZIP)
opendata-public-text = Toutes les données publiques de la participation, en CSV et en JSON, sous licence ouverte, refaites chaque nuit :
flash-opendata-generated = Le fichier des données ouvertes a été refait.
