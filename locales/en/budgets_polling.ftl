# The polling table finds a person by their name and birth date.
budget-staff-paper-who = Who votes
budget-staff-paper-or-person = Or, if the person has no account or does not know its address: their name, first names and birth date, as on their identity document. They are found by their verification or on the commune's list; nothing you type is kept.
budget-staff-field-last-name = Birth name
budget-staff-field-last-name-hint = Or the usage name on the commune's list.
budget-staff-field-first-names = First names
budget-staff-field-birth-date = Birth date
budget-staff-field-birth-date-hint = For example 04/03/1950.
budget-staff-paper-find = Find the person
budget-staff-found-account = Verified account found. Neighbourhood: { $neighbourhood }.
budget-staff-found-no-neighbourhood = not given
budget-staff-found-listed = On the commune's list, with no verified account: their paper ballot marks them on the roll, and they will not be able to vote online. First ask whether they have an account verified by post: then search for it by its email address, since an account verified by post is not linked to a name.
budget-staff-found-not-voted = Has not voted in this budget yet.
budget-staff-error-who = Give the person's email address, or their name, first names and birth date.
budget-staff-error-last-name = Give the person's name.
budget-staff-error-first-names = Give the person's first names.
budget-staff-error-birth-date = Give a birth date, for example 04/03/1950.
budget-staff-error-unknown-person = Nobody found: no verified account and no one on the commune's list with this name, these first names and this birth date. Check the spelling and the date, or look the person up by their email address.
