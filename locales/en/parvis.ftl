# Parvis — interface texts in English (second language).
# Every message has its counterpart in ../fr/parvis.ftl; a test checks it.

## Layout
skip-to-content = Skip to content
site-tagline = Citizen participation
nav-label = Main menu
nav-home = Home
footer-accessibility = Accessibility
footer-powered = Powered by Parvis, free software

flash-language-changed = The site is now shown in English.

## Error pages
error-back-home = Back to the home page
error-request-id = If the problem persists, give the town hall this reference:
error-404-title = Page not found
error-404-text = This page does not exist or has moved. Check the address, or start again from the home page.
error-403-title = Access denied
error-403-text = You are not allowed to see this page.
error-405-title = Action not possible
error-405-text = This address does not allow this action.
error-400-title = Incorrect request
error-400-text = The information sent is not valid. Go back and try again.
error-429-title = Too many attempts
error-429-text = You made too many attempts in a short time. Please wait a little before trying again.
error-503-title = Service temporarily unavailable
error-503-text = The site is under maintenance. Try again in a few minutes.
error-500-title = Something went wrong
error-500-text = We could not process your request. Nothing you had already saved is lost. Try again in a moment.
error-csrf-title = The form has expired
error-csrf-text = For your security, this form is no longer valid. Go back to the previous page, reload it, then send your request again.

## Home
home-title = Take part in the life of { $commune }
home-default-intro = Give your opinion, share your ideas and follow what the town hall does with them.
home-participants-title = Taking part
home-residents = { $count ->
    [0] No resident registered yet
    [one] { $count } resident registered
   *[other] { $count } residents registered
}
home-neighbourhoods-title = Neighbourhoods
home-neighbourhoods-text = Your contributions can be linked to one of these neighbourhoods.
home-about-title = A site of the commune
home-about-text = This site belongs to the commune and is hosted for it. Your data is never sold nor used for advertising.
home-about-privacy-link = How your data is protected

## Legal notice
legal-notice-title = Legal notice
legal-not-provided = To be completed by the town hall
legal-publisher = Publisher
legal-director = Director of publication
legal-host = Hosting
legal-contributions-title = Residents' contributions
legal-contributions-text = Contributions are published under their authors' responsibility and in keeping with the participation charter. The town hall may hide a contribution that breaks the law or the charter; its author is told.
legal-software-title = Software
legal-software-text = This site runs Parvis { $version }, free software under the GNU AGPL version 3 or later. The corresponding source code can be obtained from the publisher of the site.

## Personal data
privacy-title = Personal data
privacy-intro = The commune of { $commune } processes your personal data only to let you take part in local life, in accordance with the General Data Protection Regulation (GDPR).
privacy-controller-title = Who is responsible?
privacy-controller = Data controller
privacy-dpo = Data protection officer
privacy-dpo-contact = Contact to exercise your rights
privacy-data-title = Which data?
privacy-data-account = Your account: email address, display name and password (kept hashed, never in clear).
privacy-data-profile = If you agree, your neighbourhood and age bracket, used only for anonymous participation statistics.
privacy-data-contributions = Your contributions: answers, ideas, comments, reports and votes.
privacy-data-logs = A security log (sign-ins, administration actions) with the IP address, to protect accounts.
privacy-purpose-title = Why?
privacy-purpose-text = This processing is part of the commune's public-interest task (GDPR article 6.1.e): consulting residents and reporting back to them. Your data is never sold, nor used for commercial or advertising purposes.
privacy-retention-title = For how long?
privacy-retention-accounts = Your account is kept until you delete it, or after { $days } days without signing in, after a warning. Your published contributions then stay visible under the name "Deleted participant".
privacy-retention-audit = The security log is kept for { $days } days.
privacy-retention-backups = Backups, taken every { $hours } hours, are kept { $count } at most.
privacy-retention-no-backups = No scheduled backup is set up.
privacy-cookies-title = Cookies
privacy-cookies-text = This site only uses strictly necessary cookies: your choice of language, a security token for forms and, when you are signed in, your session. No audience measurement or advertising cookie, no third-party service: so no consent is asked.
privacy-rights-title = Your rights
privacy-rights-text = You may access your data, correct it, erase it, get a copy of it or object to its processing, by writing to the contact above.
privacy-cnil = If you believe your rights are not respected, you may lodge a complaint with the CNIL (the French data protection authority).

## Accessibility
a11y-title = Accessibility statement
a11y-status-none = not compliant
a11y-status-partial = partially compliant
a11y-status-full = fully compliant
a11y-commitment = The commune of { $commune } is committed to making its digital services accessible, in accordance with article 47 of French law no. 2005-102 of 11 February 2005.
a11y-scope = This accessibility statement applies to the site { $url }.
a11y-conformity-title = Compliance status
a11y-conformity-none = The site { $url } is not compliant with the French accessibility framework (RGAA), version 4.1: no audit has yet measured its compliance.
a11y-conformity-partial = The site { $url } is partially compliant with the French accessibility framework (RGAA), version 4.1, because of the non-compliances listed below.
a11y-conformity-full = The site { $url } is fully compliant with the French accessibility framework (RGAA), version 4.1.
a11y-results-title = Test results
a11y-no-audit = No compliance audit has been made yet.
a11y-non-compliant-title = Inaccessible content
a11y-none-known = No inaccessible content is known to date.
a11y-establishment-title = How this statement was made
a11y-technologies = Technologies used: HTML5, CSS and, optionally, JavaScript. Every page works without JavaScript.
a11y-testing = Every page of Parvis is checked automatically with the axe-core tool, in a browser, at each change of the software; an automatic check does not replace an audit.
a11y-contact-title = Feedback and contact
a11y-contact-text = If you cannot access some content or service, contact the town hall to be directed to an accessible alternative or to get the content in another form.
a11y-contact = Accessibility contact
a11y-remedy-title = Remedies
a11y-remedy-text = If you reported an accessibility problem that prevents you from accessing content or a service and did not get a satisfactory answer, you may refer it to the Défenseur des droits (the French rights ombudsman):
a11y-remedy-online = through the online form of the Défenseur des droits;
a11y-remedy-delegate = by contacting the delegate of the Défenseur des droits in your region;
a11y-remedy-mail = by post, free of charge, without a stamp: Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.

## Forms
form-error-summary = There is a problem
form-error-prefix = Error:
form-not-given = I prefer not to say
field-display-name = Display name
field-display-name-hint = It will appear next to your contributions. A first name, a full name or a pseudonym.
field-email = Email address
field-email-hint = We will send a link to it to check that it is yours.
field-password = Password
field-new-password = New password
field-new-password-hint = At least 10 characters. A sentence of several words is easy to remember and hard to guess; you may paste it.
field-new-email = New email address
field-new-email-hint = We will send a link to it: the address changes once you follow it.
field-neighbourhood = Your neighbourhood
field-age-bracket = Your age bracket
field-stats-consent = I agree that my neighbourhood and age bracket are used for anonymous participation statistics.
field-code = Verification code
field-code-hint = The 6 digits shown by your app, or one of your recovery codes.
error-display-name = Enter a display name of 2 to 60 characters.
error-email = Enter a valid email address, like firstname.lastname@example.org.
error-password = The password is not correct.
error-sign-in = The email address or the password is not correct.
error-account-blocked = This account is blocked. Contact the town hall to know more.
error-choose-from-list = Choose an answer from the list.
error-stats-consent = Tick the box so that we may use your neighbourhood and age bracket, or leave both on "I prefer not to say".
error-too-many = Too many attempts. Try again in { $seconds } seconds.
error-code = This code is not valid. Check your phone's clock and enter the code shown now.
error-code-replayed = This code has already been used. Wait for your app to show a new one.
password-too-short = The password must be at least { $min } characters long.
password-too-long = The password must be at most 256 characters long.
password-too-guessable = This password is too easy to guess. Try a sentence of several unrelated words.
age-under-18 = Under 18
age-18-29 = 18 to 29
age-30-44 = 30 to 44
age-45-59 = 45 to 59
age-60-74 = 60 to 74
age-75-plus = 75 and over

## Account
nav-account = My account
sign-in-title = Sign in
sign-in-submit = Sign in
sign-in-no-account = No account yet?
sign-out = Sign out
sign-up-title = Create an account
sign-up-lead = An account lets you answer consultations, share ideas and follow your reports.
sign-up-stats-title = For statistics (optional)
sign-up-stats-why = The town hall wants to know whether every neighbourhood and every generation takes part. These two answers are never published nor linked to your contributions: they are only counted.
sign-up-privacy-link = How your data is protected
sign-up-submit = Create my account
sign-up-have-account = Already have an account?
sign-up-sent-title = Check your email
sign-up-sent-text = If this address can be used, a message with a confirmation link has just been sent to it. The link works for 7 days.
sign-up-sent-spam = Nothing after a few minutes? Look in your spam folder.
sign-in-code-title = Enter your code
sign-in-code-lead = Your account is protected by two-factor authentication. Open your authenticator app.
sign-in-code-submit = Continue
sign-in-code-cancel = Cancel
unconfirmed-title = Confirm your address
unconfirmed-text = Before you first sign in, follow the link we sent to your email address.
unconfirmed-resend = Get a new link
confirm-title = Confirm your address
confirm-text = Press the button to confirm your email address.
confirm-change-title = Confirm your new address
confirm-change-text = Press the button to use the address { $email } from now on.
confirm-submit = Confirm
link-invalid-title = This link no longer works
link-invalid-text = It has already been used or it has expired. Ask for a new one if needed.
forgot-title = Forgotten your password?
forgot-lead = Enter your account's email address: we will send a link to choose a new password.
forgot-submit = Get the link
forgot-again = Ask for a new link
forgot-sent-title = Check your email
forgot-sent-text = If an account uses this address, a link has just been sent to it. It works for one hour, once.
reset-title = Choose a new password
reset-submit = Save the password
account-title = My account
account-role = Role
account-service = Service
account-2fa = Two-factor authentication
account-2fa-on = On
account-2fa-off = Off
account-security = Security
role-resident = Resident
role-verified-resident = Verified resident
role-moderator = Moderator
role-staff = Town hall staff
role-admin = Administrator
change-password-title = Change password
change-password-one-time = You signed in with a one-time password: choose your own now.
change-password-lead = You will be signed out on all your other devices.
change-password-submit = Change the password
change-email-title = Change email address
change-email-current = Current address: { $email }
change-email-submit = Get the confirmation link
reauth-title = Confirm it is you
reauth-lead = To protect your account, enter your password again before this change.
reauth-submit = Continue
sessions-title = Signed-in devices
sessions-lead = These are the devices where you are signed in. Sign out those you do not recognise, then change your password.
sessions-device = Device
sessions-ip = IP address
sessions-started = Signed in
sessions-last-seen = Last activity
sessions-action = Action
sessions-this-device = This device
sessions-revoke = Sign out
sessions-revoke-others = Sign out all other devices
session-warning-title = Your session will end soon
session-warning-text = Without activity, you will be signed out in two minutes. Anything typed and not yet sent would be lost.
session-expired-text = Your session has ended.
session-extend = Stay signed in
two-factor-title = Two-factor authentication
two-factor-lead = Besides your password, a one-time code shown by an app on your phone protects your account.
two-factor-is-on = Two-factor authentication is on.
two-factor-codes-left = { $count ->
    [0] You have no recovery code left: make new ones.
    [one] You have { $count } recovery code left.
   *[other] You have { $count } recovery codes left.
}
two-factor-new-codes = Make new recovery codes
two-factor-disable = Turn off two-factor authentication
two-factor-required-for-role = Your role at the town hall requires two-factor authentication.
two-factor-how = You need an authenticator app (for example FreeOTP, Aegis or your phone's own).
two-factor-start = Turn on two-factor authentication
two-factor-setup-title = Set up your app
two-factor-step-app = Open your authenticator app and add an account.
two-factor-step-scan = Scan this QR code with the app:
two-factor-step-type = Or, if you cannot scan, type this key into the app:
two-factor-step-code = Enter below the 6-digit code the app shows.
two-factor-confirm = Turn on
two-factor-codes-title = Your recovery codes
two-factor-codes-lead = If you lose your phone, each of these codes lets you sign in once. Write them down or print them and keep them safe.
two-factor-codes-once = These codes will never be shown again.
two-factor-codes-done = I have saved my codes

## Messages after an action
flash-signed-out = You are signed out.
flash-email-confirmed = Your address is confirmed. You can sign in.
flash-email-taken = This address is already used by another account: nothing changed.
flash-email-changed = Your email address has been changed.
flash-email-change-sent = A confirmation link has been sent to the new address.
flash-password-reset = Your password has been changed. Sign in with the new one.
flash-password-changed = Your password has been changed. Your other devices have been signed out.
flash-sessions-revoked = The chosen devices have been signed out.
flash-nothing-changed = Nothing changed.
flash-two-factor-required = Your role requires two-factor authentication: turn it on to continue.
flash-two-factor-disabled = Two-factor authentication is off.
flash-recovery-codes-low = You have few recovery codes left: make new ones.

## Mail (administration)
demo-banner = Demo site: the commune, its residents and their contributions are fictional.
outbox-title = Sent mail
outbox-demo = Demo: no message leaves this machine. You can read them here.
outbox-no-smtp = No SMTP server is set up (smtp.host): messages wait and will leave once it is.
outbox-counts = Waiting: { $pending } · failed: { $failed }
outbox-empty = No message yet.
outbox-date = Date
outbox-to = Recipient
outbox-subject = Subject
outbox-state = State
outbox-pending = Waiting ({ $attempts } attempt(s))
outbox-sent = Sent on
outbox-failed = Given up
