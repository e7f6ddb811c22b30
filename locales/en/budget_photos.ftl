# A participatory budget project's photos (staff and residents).
budget-photos-link = { $count ->
    [0] The project's photos (none)
    [one] The project's photos ({ $count })
   *[other] The project's photos ({ $count })
}
budget-photos-title = Photos of “{ $title }”
budget-photos-lead = A project has at most { $max } photos. Each has a text that says what it shows, read to people who cannot see it. The first is the project's thumbnail on the budget's page and on the ballot.
budget-photos-during-vote = The vote is open: you may still change the photos, which do not change what residents vote on. Every change is written in the log.
budget-photos-none = This project has no photo yet.
budget-photos-number = Photo { $number }
budget-photos-alt = What the photo shows
budget-photos-alt-hint = For example: “The park's central path, lined with plane trees, without a bench”. Not “photo” or “image”.
budget-photos-replace = Replace with another photo (optional)
budget-photos-replace-hint = JPEG, PNG or WebP, 15 MB at most. Without a file, only the text changes.
budget-photos-save = Save photo { $number }
budget-photos-up = Move photo { $number } up
budget-photos-down = Move photo { $number } down
budget-photos-remove = Remove photo { $number }
budget-photos-add = Add a photo
budget-photos-file = Photo
budget-photos-file-hint = JPEG, PNG or WebP, 15 MB at most. It is saved again without its metadata (GPS position, camera).
budget-photos-back = Back to the project
budget-photos-error-missing = Choose the photo to add.
budget-photos-error-alt-long = The photo's text has at most { $max } characters.
budget-photos-error-already-there = This photo is already one of the project's photos.
budget-photos-flash-added = The photo is added.
budget-photos-flash-saved = The photo is saved.
budget-photos-flash-moved = The photos' order is saved.
budget-photos-flash-removed = The photo is removed.
budget-photos-heading = Photos
