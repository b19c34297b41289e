/**
 * First and last names per name culture, spelled as people write them (`Müller`, `O'Brien`,
 * `Łukasz`), and `asciiName`, which turns one into the letters of an email address.
 */
import type { NameCulture } from "./places.ts";

/** The first and last names people of one culture are given. */
export interface NamePool {
  readonly first: readonly string[];
  readonly last: readonly string[];
}

/** Names for every culture of `PLACES`. */
export const NAME_POOLS: Readonly<Record<NameCulture, NamePool>> = {
  english: {
    first: list(
      "James|Olivia|Liam|Emma|Noah|Amelia|Jack|Sophie|Ethan|Grace|Aoife|Seán|Chloe|Daniel|Zoë|Michael",
    ),
    last: list(
      "Smith|Johnson|Brown|O'Brien|Williams|Taylor|O'Connor|Davies|Murphy|Wilson|McDonald|Evans|Clarke|Walsh|Nguyen|Garcia",
    ),
  },
  german: {
    first: list(
      "Lukas|Anna|Jürgen|Lea|Maximilian|Sophie|Jörg|Marie|Felix|Hannah|Björn|Lena|Paul|Emilia|Günther|Käthe",
    ),
    last: list(
      "Müller|Schmidt|Schneider|Fischer|Weber|Meyer|Wagner|Becker|Schäfer|Koch|Groß|Hoffmann|Schröder|Krüger|Bauer|Huber",
    ),
  },
  french: {
    first: list(
      "Léa|Hugo|Chloé|Louis|Camille|Gabriel|Zoé|Raphaël|Manon|Jules|Inès|Théo|Élodie|François|Amélie|Noël",
    ),
    last: list(
      "Martin|Bernard|Dubois|Thomas|Robert|Petit|Durand|Lefèvre|Moreau|Laurent|Girard|Roux|Fournier|D'Amico|Lemaître|Bonnet",
    ),
  },
  iberian: {
    first: list(
      "João|Maria|José|Ana|Lucía|Pedro|Inês|Tomás|Sofía|Martín|Beatriz|Gonçalo|Valentina|Andrés|Conceição|Raúl",
    ),
    last: list(
      "Silva|Santos|García|Fernández|Oliveira|Pereira|Rodríguez|Martínez|Gonçalves|Sánchez|Ferreira|Gómez|Araújo|Muñoz|Souza|Núñez",
    ),
  },
  italian: {
    first: list(
      "Giulia|Francesco|Sofia|Alessandro|Aurora|Lorenzo|Martina|Niccolò|Chiara|Matteo|Giorgia|Nicolò|Federica|Luca|Ilaria|Andrea",
    ),
    last: list(
      "Rossi|Russo|Ferrari|Esposito|Bianchi|Romano|Colombo|Ricci|Marino|Greco|Bruno|Gallo|De Luca|D'Angelo|Conti|Mancini",
    ),
  },
  dutch: {
    first: list("Daan|Emma|Sem|Julia|Lucas|Mila|Finn|Tess|Bram|Sara|Jan|Fleur|Thijs|Anouk|Ruben|Noor"),
    last: list(
      "de Jong|Jansen|de Vries|van den Berg|van Dijk|Bakker|Janssen|Visser|Smit|Meijer|de Boer|Mulder|Peeters|Maes|Claes|Willems",
    ),
  },
  nordic: {
    first: list(
      "Elsa|Oskar|Astrid|Søren|Freja|Mikael|Ingrid|Björn|Sigrid|Åsa|Lars|Maja|Eero|Aino|Jørgen|Linnéa",
    ),
    last: list(
      "Andersson|Johansson|Hansen|Nielsen|Karlsson|Jensen|Larsen|Nilsson|Virtanen|Korhonen|Sørensen|Eriksson|Pedersen|Lindström|Berg|Håkansson",
    ),
  },
  slavic: {
    first: list(
      "Jakub|Zuzana|Łukasz|Anna|Tomáš|Katarzyna|Piotr|Tereza|Michał|Agnieszka|Jiří|Małgorzata|Ondřej|Zofia|Paweł|Eliška",
    ),
    last: list(
      "Nowak|Kowalski|Novák|Wiśniewski|Svoboda|Wójcik|Dvořák|Kamiński|Černý|Lewandowski|Procházka|Zieliński|Kučera|Szymański|Veselý|Dąbrowski",
    ),
  },
};

const SPECIAL: Readonly<Record<string, string>> = {
  ß: "ss",
  ø: "o",
  Ø: "o",
  æ: "ae",
  Æ: "ae",
  ł: "l",
  Ł: "l",
  đ: "d",
};

function list(names: string): readonly string[] {
  return names.split("|");
}

/** A name as lower-case ASCII letters for an email address: `O'Brien` → `obrien`, `Müller` → `muller`. */
export function asciiName(name: string): string {
  return name
    .replace(/[ßøØæÆłŁđ]/g, (c) => SPECIAL[c] ?? "")
    .normalize("NFD")
    .replace(/[^A-Za-z]/g, "")
    .toLowerCase();
}
