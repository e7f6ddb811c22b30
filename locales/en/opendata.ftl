# Open data (src/web/opendata.rs)
opendata-staff-title = Open data
opendata-staff-lead = Everything the site publishes, as CSV and JSON in one ZIP file, with the licence chosen in the configuration and a description of each column, ready for data.gouv.fr. It is made again each night; no email, IP address, hidden name or hidden content is in it.
opendata-staff-last = Latest version: { $date }.
opendata-staff-never = The file has not been made yet.
opendata-staff-generate = Make the file again now
opendata-download = Download the open data (ZIP)
opendata-public-text = All the public data of participation, as CSV and JSON, under an open licence, made again each night:
flash-opendata-generated = The open-data file was made again.
