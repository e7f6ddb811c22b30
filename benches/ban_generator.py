#!/usr/bin/env python3
"""A large commune's address list in the Base Adresse Nationale's layout.

    benches/ban_generator.py 100000 OUT.csv [QUERIES.txt POINTS.txt BASE_URL]

Writes OUT.csv with N addresses (`;`-separated, the BAN's 23 columns) on
about N/25 streets over 8 x 8 km around Saint-Exemple (45.7772 N, 4.6121 E),
and, when asked, the URLs the benchmark requests: suggestions as residents
type them (a number or not, accents or not, a word cut short) and points
for "nearest address", some between the houses, some in the fields.
The same N gives the same files (fixed seed).
"""
import random
import sys
import unicodedata

HEADER = ("id;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;code_insee_ancienne_commune;"
          "nom_ancienne_commune;x;y;lon;lat;type_position;alias;nom_ld;libelle_acheminement;nom_afnor;"
          "source_position;source_nom_voie;certification_commune;cad_parcelles")
KINDS = ["Rue"] * 10 + ["Avenue"] * 2 + ["Chemin"] * 3 + ["Impasse"] * 2 + ["Allée", "Place", "Route", "Boulevard",
                                                                         "Quai", "Square", "Passage", "Montée"]
FIRST = ["Victor", "Jean", "Louise", "Marie", "Pierre", "Jules", "Émile", "Anatole", "Simone", "Albert", "Colette",
         "René", "Gustave", "Honoré", "Lucie", "Hélène", "Frédéric", "Aimé", "Olympe", "Édouard", "Camille", "Paul",
         "Jacques", "Françoise", "Joséphine", "Léon", "Marcel", "Suzanne", "Georges", "Irène"]
LAST = ["Hugo", "Jaurès", "Michel", "Curie", "Moulin", "Ferry", "Zola", "France", "Veil", "Camus", "Pasteur",
        "Descartes", "Balzac", "Sand", "Mistral", "Berlioz", "Chopin", "Césaire", "de Gouges", "Manet", "Claudel",
        "Verlaine", "Prévert", "Daudet", "Baker", "Lumière", "Ampère", "Gambetta", "Clemenceau", "Renoir",
        "Debussy", "Ravel", "Monet", "Rodin", "Cézanne", "Apollinaire", "Rimbaud", "Pagnol", "Giono", "Colette"]
NOUNS = ["des Tilleuls", "du Moulin", "de la Gare", "des Vignes", "de l'Église", "du Marché", "des Écoles",
         "du Château", "de la Fontaine", "des Peupliers", "du Lavoir", "des Prés", "de la Croix", "du Stade",
         "des Acacias", "du Pont", "de la Forge", "des Jardins", "du Bois", "de la Poste", "des Cerisiers",
         "du Canal", "de la Mairie", "des Sources", "du Four", "de la Côte", "des Chênes", "du Cimetière"]
SUFFIXES = ["", "", "", "", "", "", "", "", "bis", "ter", "a"]


def fold(text):
    text = unicodedata.normalize("NFD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower().replace("'", " ")


def streets(n_streets, rng):
    names = set()
    out = []
    while len(out) < n_streets:
        kind = rng.choice(KINDS)
        rest = rng.choice(NOUNS) if rng.random() < 0.3 else f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        name = f"{kind} {rest}"
        if name in names:
            continue
        names.add(name)
        out.append(name)
    return out


def main():
    n = int(sys.argv[1])
    out_path = sys.argv[2]
    rng = random.Random(n)
    n_streets = max(1, n // 25)
    names = streets(n_streets, rng)
    lat0, lon0 = 45.7772, 4.6121
    rows = []
    placed = []
    # Every street has a house; the others go to streets of random lengths.
    counts = [1] * len(names)
    weights = [rng.expovariate(1.0) for _ in names]
    for i in rng.choices(range(len(names)), weights=weights, k=n - len(names)):
        counts[i] += 1
    for i, (name, count) in enumerate(zip(names, counts)):
        # A street is a straight line from a random start, houses every ~15 m.
        lat, lon = lat0 + rng.uniform(-0.036, 0.036), lon0 + rng.uniform(-0.05, 0.05)
        dlat, dlon = rng.uniform(-0.00014, 0.00014), rng.uniform(-0.0002, 0.0002)
        number = 0
        for k in range(count):
            number += rng.choice([1, 2, 2, 3, 4])
            rep = rng.choice(SUFFIXES)
            a_lat, a_lon = lat + k * dlat, lon + k * dlon
            ident = f"99999_{i:04d}_{number:05d}" + (f"_{rep}" if rep else "")
            rows.append(f"{ident};99999_{i:04d};{number};{rep};{name};69999;99999;Saint-Exemple;;;0;0;"
                        f"{a_lon:.6f};{a_lat:.6f};entrée;;;SAINT EXEMPLE;{fold(name).upper()};commune;commune;1;")
            placed.append((number, rep, name, a_lat, a_lon))
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(HEADER + "\n")
        f.write("\n".join(rows) + "\n")
    if len(sys.argv) > 5:
        queries, points, base = sys.argv[3], sys.argv[4], sys.argv[5]
        from urllib.parse import quote
        with open(queries, "w") as f:
            for _ in range(2000):
                number, rep, name, _, _ = rng.choice(placed)
                words = fold(name).split()
                cut = rng.randint(max(1, len(words[-1]) - 4), len(words[-1]))
                typed = " ".join(words[:-1] + [words[-1][:cut]])
                form = rng.random()
                if form < 0.5:
                    typed = f"{number} {typed}"
                elif form < 0.7:
                    typed = f"{' '.join(words[1:])} {number}"
                f.write(f"{base}/adresses/suggestions?q={quote(typed)}\n")
        with open(points, "w") as f:
            for _ in range(2000):
                if rng.random() < 0.8:
                    _, _, _, lat, lon = rng.choice(placed)
                    lat, lon = lat + rng.uniform(-0.0005, 0.0005), lon + rng.uniform(-0.0005, 0.0005)
                else:
                    lat, lon = lat0 + rng.uniform(-0.04, 0.04), lon0 + rng.uniform(-0.055, 0.055)
                f.write(f"{base}/adresses/plus-proche?lat={lat:.6f}&lon={lon:.6f}\n")


if __name__ == "__main__":
    main()
