# Verification of residents (src/web/verification/)
verification-title = Confirm that you live in the commune
verification-lead = Some processes (a participatory budget vote, a consultation for residents only) are open only to accounts the town hall has verified. A person can have only one verified account.
verification-method-counter = at the town-hall counter
verification-method-post = with a code received by post
verification-method-list = with the commune's list
verification-verified-on = Account verified { $method } on { $date }.
verification-counter-title = At the town hall's front desk
verification-counter-text = Come with an identity document (identity card, passport, residence permit or driving licence) and give your account's email address: a member of staff verifies it there and then. They record the kind of document, never its number.
verification-list-title = With the commune's list
verification-list-text = Type your last name, all your first names and your birth date, as on your voter card or identity document. Capitals, accents and hyphens do not matter.
verification-list-submit = Verify my account
verification-field-last-name = Birth name
verification-field-last-name-hint = Or your usage name, if the list has it.
verification-field-first-names = First names
verification-field-first-names-hint = All your first names, in order.
verification-field-last-name-hint-staff = As written on the document.
verification-field-first-names-hint-staff = All the first names on the document, in order.
verification-field-birth-date = Birth date
verification-post-title = By post
verification-post-text = Give your postal address: the town hall sends you a letter with a code to type here. The address is deleted as soon as the letter is printed.
verification-post-waiting = Your request of { $date } is waiting for the town hall to print the letter.
verification-post-printed = Your letter was printed on { $printed }; its code is valid until { $expires }.
verification-post-void = The code of your letter is no longer valid. Ask for a new letter.
verification-post-again = Letter lost or never received? A new request replaces the previous one.
verification-field-address = Postal address, as on an envelope
verification-field-address-hint = Two to six lines of at most 38 characters: name, number and street, extra line, postcode and town.
verification-post-submit = Receive a code by post
verification-field-code = Code received by post
verification-field-code-hint = Ten letters and digits, for example ABCDE-FGH23.
verification-code-submit = Confirm the code
verification-error-last-name = Give your last name (at most 100 characters).
verification-error-first-names = Give your first names (at most 100 characters).
verification-error-birth-date = Give a valid birth date.
verification-error-no-match = Nobody on the list matches. Check the spelling, all first names and the date, or come to the town hall.
verification-error-person-taken = This person already has a verified account. If it is not you, or to change accounts, come to the town hall.
verification-error-too-many = Too many tries today. Try again tomorrow or come to the town hall.
verification-error-address = Give two to six lines of at most 38 characters.
verification-error-code = This code is not valid for your account. Check it, or ask for a new letter.
verification-error-code-expired = This code has expired. Ask for a new letter.
flash-verification-done = Your account is verified.
flash-verification-letter-asked = Request saved: you will receive a letter with your code.

# Staff pages
verification-staff-title = Verification of residents
verification-staff-what = Verify a resident at the counter, print the code letters, import the commune's list.
verification-staff-lead = Find a resident's account by its email address to verify it at the counter or to revoke its verification.
verification-field-email = Email address
verification-search = Find the account
verification-error-no-account = No account has this address.
verification-state = Verification
verification-not-verified = Account not verified
verification-counter-staff-title = Verify at the counter
verification-counter-staff-text = Check the person's identity document, then copy their birth name, all their first names and their birth date. The document's number is never asked; the birth date is encrypted and used only for minimum ages.
verification-field-document = Document checked
verification-document-identity-card = National identity card
verification-document-passport = Passport
verification-document-residence-permit = Residence permit
verification-document-driving-licence = Driving licence
verification-document-other = Other official document with a photo
verification-counter-submit = Verify the account
verification-error-document = Choose the document checked.
verification-error-person-taken-staff = This person is already verified on another account. Revoke that verification first if they must change accounts.
flash-verification-counter-done = Account verified.
verification-revoke-title = Revoke the verification
verification-field-reason = Reason (written to the log)
verification-revoke-submit = Revoke the verification
verification-error-reason = Give the reason (at most 500 characters).
flash-verification-revoked = Verification revoked.
verification-letters-title = Verification letters
verification-letters-waiting = { $count ->
    [0] No letter to print.
    [one] One letter to print.
   *[other] { $count } letters to print.
}
verification-letters-open = Print the letters
verification-letters-text = The PDF holds one letter a page, the address placed for a DL window envelope (window on the right). Each letter gets a new code and its address is deleted: download the file and print it at once.
verification-letters-print = Download the letters (PDF)
flash-verification-no-letters = No letter to print.
verification-list-staff-title = The commune's list
verification-list-staff-text = Import the electoral roll or the list of residents (CSV: last name, first names, birth date; separated by ";" or ","). It is not kept in clear: only keyed hashes of the names and dates, deleted at the date chosen.
verification-list-summary = { $rows } people, deleted on { $date }.
verification-list-current = List imported on { $imported }: { $rows } people. It will be deleted on { $date }.
verification-list-none = No list imported.
verification-list-open = Manage the list
verification-list-delete = Delete the list now
verification-list-import-title = Import a list
verification-field-list-file = CSV file
verification-field-list-file-hint = Columns "Nom", "Prénoms", "Date de naissance" (and "Nom d'usage" if the list has one), or these three columns in this order without a title line. UTF-8 or Windows-1252. A new list replaces the old one.
verification-field-delete-on = Deletion date
verification-field-delete-on-hint = At most two years after the import: the end of the process the list is for.
verification-list-import = Import the list
verification-error-delete-on = Choose a deletion date after today and within two years.
verification-error-list-empty = Choose a CSV file that holds at least one person.
verification-error-list-too-large = The file is too large.
verification-error-list-field = Line { $line }: the last name, first names or birth date is missing.
verification-error-list-date = Line { $line }: the birth date is not a date (DD/MM/YYYY or YYYY-MM-DD).
verification-error-list-line = Line { $line }: the line cannot be read.
flash-verification-list-imported = List imported.
flash-verification-list-deleted = List deleted.

# The letter (PDF)
verification-letter-sender = Town hall — citizen participation
verification-letter-title = Your code to verify your account
verification-letter-intro = You asked to verify your account on the participation site of { $commune }. This code confirms that you receive mail at this address.
verification-letter-step-page = 1. Sign in to your account, then open the page:
verification-letter-step-code = 2. Type this code:
verification-letter-rules = This code works once, and only for the account that asked for it. It is valid until { $date }.
verification-letter-not-you = If you asked for nothing, ignore this letter: without the code, nobody can verify an account at your address.

# Audit log
audit-action-resident-verified = Resident's account verified
audit-action-verification-revoked = Resident's verification revoked
audit-action-verification-letters-printed = Verification letters printed
audit-action-verification-list-changed = Verification list imported or deleted

# "My data" page
verification-data = Verification of your account
verification-data-none = Your account is not verified by the town hall.
verification-data-document = Document checked: { $document }.
verification-data-birth-date = Birth date recorded (encrypted): { $date }.
verification-data-letter = Verification letter asked for on { $date }.

# "Personal data" page
privacy-retention-verification = Verification of residents: the kind of document checked and the birth date (encrypted) are kept as long as the account is verified; the postal address given for a code, until the letter is printed; the code, { $days } days at most.
privacy-retention-verification-list = The commune's list used for verification is kept only as keyed hashes, until { $date }.
