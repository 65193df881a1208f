"""Build ideas/accounts/data/common-passwords.txt, the list of refused passwords (ASVS 2.1.7).

Sources, fetched with the ordinary registry clients (nothing else is downloaded):
  pip download django --no-deps            → django/contrib/auth/common-passwords.txt.gz
      (BSD-3-Clause; 20,000 common passwords compiled by Royce Williams from breaches)
  npm pack @zxcvbn-ts/language-common      → package/src/passwords.json
      (MIT; about 49,000 passwords from breach corpora, most frequent first)
  npm pack @zxcvbn-ts/language-fr          → package/src/lastnames.json (French first names)
plus the French passwords below, from published rankings of French breaches (azerty,
doudou, loulou, soleil, marseille, motdepasse, jetaime…) and words of this service.

The file holds normalised entries (see ideas.accounts.passwords.normalise): every listed
password of 12 characters or more, and the "cores" that a weak long password is built on
(`soleil` for `Soleil2026!!!`, `motdepasse` for `mot de passe 123`).

Usage: python scripts/build-common-passwords.py DJANGO_GZ COMMON_JSON FR_NAMES_JSON
"""

import gzip
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from ideas.accounts.passwords import MIN_LENGTH, core, normalise

OUT = Path(__file__).resolve().parent.parent / "ideas/accounts/data/common-passwords.txt"
TOP_CORES = 4000  # the most frequent breached passwords, as cores

FRENCH = """
azerty azertyuiop azertyuiopqsdfghjklm azertyuiopqsdfghjklmwxcvbn qsdfghjklm wxcvbn
azertyqsdfgh azerqsdfwxcv aqwzsxedc azsxdcfv qsdfgh &é"'(-è_çà &é"'(-è_çà)= doudou loulou
soleil marseille chouchou motdepasse jetaime coucou bonjour camille chocolat princesse
nicolas julien celine marine vanille isabelle nathalie tintin tigrou caramel bisounours
poupette chaton titou toutou cheval pompier olivier jeanne juliette liberte bretagne
normandie provence alsace corse allezom allezlom allezparis allezlesbleus olympique
olympiquedemarseille parisiensaintgermain psg zidane mdp monmotdepasse nouveaumotdepasse
motdepasseoublie changemoi bienvenue salut salutatoi amour monamour mamour mabiche
moncoeur mapuce doudoune bebe mimi minou chouquette cocotte papa maman mamie papy
famille enfants patate banane fraise framboise pomme ananas citron orange licorne dauphin
papillon tournesol coquelicot printemps automne hiver janvier fevrier mars avril mai juin
juillet aout septembre octobre novembre decembre lundi mardi mercredi jeudi vendredi
samedi dimanche noel paques vacances plage etoile lune ciel arcenciel rouge bleu vert
noir blanc violet jaune rose bisous bisou cherie cheri tresor nounours chouette
liberteegalitefraternite vivelafrance france paris lyon toulouse nice nantes strasbourg
montpellier bordeaux lille rennes reims brest poitiers limoges chasseneuil futuroscope
jetaimemonamour jetaimeamour jetaimepourtoujours jetaimeatoi jetadore mamanpapa
doudoumaman monbebe mesenfants mafamille mamaison maison voiture moto football foot
rugby tennis musique guitare piano danse cinema lecture voyage nature chien chat lapin
loup lion tigre panthere dragon soleil1 azerty1 azerty12 azerty123 azerty1234
education educationnationale academie enseignant enseignante professeur professeure
prof ecole college lycee universite rectorat ministere fonctionnaire agent direction
canope reseaucanope reseau atelier ateliercanope fabrique fabriqueaidees fabriqueidees
fabriqueaidee idees idee innovation communaute apprenante organisationapprenante rse
developpementdurable bonjour1 bienvenue1 motdepasse1 motdepasse01 password motdepasses
secret secrets confidentiel administrateur administratrice admin utilisateur invite
"""

# Long ones everybody knows: keyboard rows, doubled words, famous phrases.
KNOWN_LONG = """
qwertyuiop qwertyuiopasdf qwertyuiopasdfghjkl qwertyuiopasdfghjklzxcvbnm asdfghjklzxcvbnm
1qaz2wsx3edc 1qaz2wsx3edc4rfv qazwsxedcrfv zaq12wsxcde3 qwertyqwerty azertyazerty
azerty123456 azertyuiop123 qwerty123456 motdepassemotdepasse passwordpassword
iloveyouiloveyou jetaimejetaime correcthorsebatterystaple trustno1trustno1 letmeinletmein
thequickbrownfoxjumpsoverthelazydog portezcevieuxwhiskyaujugeblondquifume
jepensedoncjesuis tobeornottobe maytheforcebewithyou bonjourtoutlemonde helloworld123
lesanglotslongsdesviolonsdelautomne ilfaitbeau ilfaitbeauaujourdhui onestlesmeilleurs
"""


def main(django_gz: str, common_json: str, fr_names_json: str) -> None:
    with gzip.open(django_gz, "rt", encoding="utf-8") as handle:
        django = [line.strip() for line in handle if line.strip()]
    breached = json.loads(Path(common_json).read_text(encoding="utf-8"))
    names = json.loads(Path(fr_names_json).read_text(encoding="utf-8"))
    entries: set[str] = set()
    for password in [*django, *breached]:
        if len(password) >= MIN_LENGTH:
            entries.add(normalise(password))
    for password in breached[:TOP_CORES] + django[:TOP_CORES]:
        entries.add(core(normalise(password)))
    entries.update(normalise(word) for word in (FRENCH + KNOWN_LONG).split())
    entries.update(normalise(name) for name in names)
    for digit in "0123456789":  # 111111111111, 000000000000…
        entries.update(digit * length for length in range(MIN_LENGTH, 21))
    walk = "12345678901234567890"
    entries.update(walk[:length] for length in range(MIN_LENGTH, 21))
    entries.update(walk[:length][::-1] for length in range(MIN_LENGTH, 21))
    entries.discard("")
    entries = {entry for entry in entries if len(entry) >= 3}
    header = "\n\n".join((__doc__ or "").split("\n\n")[:3])
    lines = [f"# {line}".rstrip() for line in (header + "\nGenerated by "
                                                "scripts/build-common-passwords.py: do not "
                                                "edit by hand.").splitlines()]
    OUT.write_text("\n".join([*lines, *sorted(entries)]) + "\n", encoding="utf-8")
    print(f"{len(entries)} entries written to {OUT}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
