## Messages Parvis sends (src/mail/template.rs).
## Each template has a subject (-subject) and a body (-body); the body sits
## between the greeting and the signature below.
## Always given: $commune (the commune's name).
## The link stays alone on its line so that every mail client makes it clickable.

mail-subject = { $subject } – { $commune }
mail-greeting = Hello { $name },
mail-greeting-anonymous = Hello,
mail-footer =
    {"-- "}
    { $commune } citizen participation platform
    This message was sent automatically: please do not reply to it.

# One-click unsubscribe sentence, for a template whose body does not already hold the link.
mail-unsubscribe =
    To stop receiving these messages:
    { $link }

mail-confirm-email-subject = Confirm your email address
mail-confirm-email-body =
    You created an account on the participation platform of { $commune }. To confirm your email address, open this link:

    { $link }

    This link works once and for a limited time. If you did not sign up, ignore this message: the account will not be activated.

mail-reset-password-subject = Resetting your password
mail-reset-password-body =
    Someone asked to reset the password of your account. To choose a new password, open this link:

    { $link }

    This link works once and for a limited time. If you use two-factor authentication, your code will still be asked for.

    If you did not ask for this, ignore this message: your password stays as it is.

mail-staff-invitation-subject = { $inviter } invites you to join the town hall's team
mail-staff-invitation-body =
    { $inviter } invites you to join the team of { $commune } on its citizen participation platform, with the role { $role ->
        [admin] "administration"
        [moderator] "moderation"
       *[staff] "staff"
    }{ $has_service ->
        [yes] {" "}in the "{ $service }" service
       *[no] {""}
    }.

    To accept the invitation and set up your access, open this link:

    { $link }

    This link works once and for a limited time. Two-factor authentication will be required from your first sign-in: have an authenticator app ready on your phone.

mail-password-changed-subject = Your password was changed
mail-password-changed-body =
    The password of your account on the participation platform of { $commune } has just been changed.

    If this was you, there is nothing to do. Otherwise, reset your password at once from the sign-in page and tell the town hall.

mail-two-factor-changed-subject = { $enabled ->
        [yes] Two-factor authentication turned on
       *[no] Two-factor authentication turned off
    }
mail-two-factor-changed-body =
    { $enabled ->
        [yes] Two-factor authentication has just been turned on for your account. Keep your recovery codes somewhere safe: they let you sign in if you lose your phone.
       *[no] Two-factor authentication has just been turned off for your account. Your account is now protected by your password only.
    }

    If you did not make this change, change your password at once and tell the town hall.

mail-email-changed-subject = Your email address was changed
mail-email-changed-body =
    The email address of your account on the participation platform of { $commune } was replaced by { $new_email }. Further messages will go to the new address.

    If you did not make this change, tell the town hall at once.

mail-account-blocked-subject = Your account was suspended
mail-account-blocked-body =
    Your account on the participation platform of { $commune } was suspended by the town hall: you can no longer sign in.

    To know why or to ask for it to be restored, contact the town hall.

mail-notification-subject = { $subject }
mail-notification-body =
    { $text }{ $has_link ->
        [yes] {"\u000A"}{"\u000A"}{ $link }
       *[no] {""}
    }

mail-inactive-account-subject = Your account will be deleted in { $delete_in_days } days
mail-inactive-account-body =
    You have not signed in to the participation platform of { $commune } for { $inactive_days } days. As the personal data page says, an unused account is deleted: yours will be in { $delete_in_days } days.

    To keep your account, just sign in before then:

    { $link }

    If you no longer wish to use it, there is nothing to do. Your published contributions will stay visible under the name "Deleted participant"; everything that identifies you will be erased.

mail-report-filed-subject = Report no. { $number }: { $category }
mail-report-filed-body =
    A resident has filed a report for the service { $service }.

    Category: { $category }
    Place: { $place }

    { $description }

    The report, its photos and the form to change its status:

    { $link }

mail-confirm-report-subject = Confirm your report no. { $number }
mail-confirm-report-body =
    You reported a problem ("{ $category }") on the participation website of { $commune }, without an account. For it to be published and passed on to the service concerned, follow this link within three days:

    { $link }

    If you reported nothing, ignore this message: nothing will be published, and the report will be deleted with your address.
mail-report-fixed-check-subject = Is it really fixed? Report no. { $number }
mail-report-fixed-check-body =
    The town hall said that the problem you reported is fixed:

    Report no. { $number } ({ $category }), { $place }
    { $link }

    Is it really fixed? Your answer helps the town hall follow its work. Choose one of these links, then confirm on the page that opens:

    Yes, it is fixed:
    { $yes }

    No, the problem is still there (the report will be reopened):
    { $no }

mail-report-alert-subject = { $subject }
mail-report-alert-body =
    { $text }

    { $link }

    You receive this message because you follow "{ $area }". To stop these alerts:
    { $unsubscribe }

mail-report-filed-answered-subject = Report no. { $number }: { $category }
mail-report-filed-answered-body =
    A resident has filed a report for the service { $service }.

    Category: { $category }
    Place: { $place }

    { $description }

    Answers to the category's questions:
    { $answers }

    The report, its photos and the form to change its status:

    { $link }

mail-consultation-outcome-subject = { $subject }
mail-consultation-outcome-body =
    { $text }

    { $link }

    You receive this message because you follow this consultation or asked to be told of its results. To stop these messages:
    { $unsubscribe }

# $also: a paragraph with a second, narrower stop link (an alert: this neighbourhood or category only), or nothing.
mail-notified-subject = { $subject }
mail-notified-body =
    { $text }

    { $link }

    Choose how you are told (at once, in a daily or weekly digest, or never):
    { $settings }

    { $also }

    Stop this kind of message:
    { $unsubscribe }

mail-digest-subject = { $count ->
        [one] Your digest: 1 new item
       *[other] Your digest: { $count } new items
    }
mail-digest-body =
    Here is what happened since your last digest.

    { $items }

    Choose how you are told:
    { $settings }

    Stop these digests:
    { $unsubscribe }

mail-newsletter-subject = { $subject }
mail-newsletter-body =
    { $text }

    Read this newsletter online:
    { $link }

    You receive this newsletter because you agreed to receive it. To stop receiving it, in one click and without signing in:
    { $unsubscribe }
