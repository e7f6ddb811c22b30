# La table de vote trouve une personne par son nom et sa date de naissance.
budget-staff-paper-who = Qui vote
budget-staff-paper-or-person = Ou, si la personne n'a pas de compte ou ne connaît pas son adresse : son nom, ses prénoms et sa date de naissance, tels que sur sa pièce d'identité. Elle est retrouvée par sa vérification ou sur la liste de la commune ; rien de ce que vous tapez n'est conservé.
budget-staff-field-last-name = Nom de naissance
budget-staff-field-last-name-hint = Ou le nom d'usage inscrit sur la liste de la commune.
budget-staff-field-first-names = Prénoms
budget-staff-field-birth-date = Date de naissance
budget-staff-field-birth-date-hint = Par exemple 04/03/1950.
budget-staff-paper-find = Chercher la personne
budget-staff-found-account = Compte vérifié trouvé. Quartier : { $neighbourhood }.
budget-staff-found-no-neighbourhood = non renseigné
budget-staff-found-listed = Personne inscrite sur la liste de la commune, sans compte vérifié : son bulletin papier l'inscrit sur la liste d'émargement, et elle ne pourra plus voter en ligne. Demandez-lui d'abord si elle a un compte vérifié par courrier : cherchez-le alors par son adresse électronique, car un compte vérifié par courrier n'est pas relié à son nom.
budget-staff-found-not-voted = N'a pas encore voté pour ce budget.
budget-staff-error-who = Indiquez l'adresse électronique de la personne, ou son nom, ses prénoms et sa date de naissance.
budget-staff-error-last-name = Indiquez le nom de la personne.
budget-staff-error-first-names = Indiquez les prénoms de la personne.
budget-staff-error-birth-date = Indiquez une date de naissance, par exemple 04/03/1950.
budget-staff-error-unknown-person = Personne introuvable : ni compte vérifié ni inscription sur la liste de la commune avec ce nom, ces prénoms et cette date de naissance. Vérifiez l'orthographe et la date, ou cherchez la personne par son adresse électronique.
