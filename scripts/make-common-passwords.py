#!/usr/bin/env python3
"""Writes src/modules/auth/data/common-passwords.txt: the blocklist behind NIST 800-63B's
"passwords obtained from previous breach corpuses" rule, built offline (no network here).

Base: passwords that top every published breach-frequency ranking (written from those public lists),
plus the patterns those rankings are made of: keyboard walks, digit runs, years, and common words
with the suffixes people add to satisfy composition rules. Only entries of 8+ characters are kept,
since shorter ones are refused by the length rule anyway."""
import itertools, pathlib

top = """123456 password 123456789 12345678 12345 qwerty 1234567 111111 1234567890 123123 abc123 1234 password1
iloveyou 1q2w3e4r 000000 qwerty123 zaq12wsx dragon sunshine princess letmein 654321 monkey 27653 1qaz2wsx 123321
qwertyuiop superman asdfghjkl trustno1 football baseball welcome admin login master hello freedom whatever qazwsx
ninja mustang michael shadow jennifer jordan hunter harley ranger buster soccer hockey killer george charlie andrew
thomas robert daniel matthew jessica pepper ginger cookie summer winter spring autumn flower orange banana chocolate
computer internet secret access passw0rd p@ssw0rd p@ssword pa55word passwort motdepasse contraseña senha parola
starwars pokemon batman spiderman liverpool chelsea arsenal barcelona realmadrid juventus manchester yankees lakers
cowboys steelers dallas newyork london paris berlin india mumbai delhi chennai bangalore kolkata pakistan america
canada mexico brazil india123 jesus christ blessed angel angels babygirl babyboy lovely loveyou iloveu ilovegod
family forever friends friend sweetie sweetheart butterfly rainbow unicorn tigger garfield snoopy mickey minnie
doctor nurse teacher student school college university office manager company business money dollar diamond
silver golden hello123 welcome1 changeme default guest user test tester testing temp temppass abcdef abcdefg
abcdefgh abcd1234 a1b2c3d4 qwer1234 asdf1234 zxcv1234 asdfasdf qwertyui zxcvbnm asdfgh qwerasdf 1qazxsw2
zaq1xsw2 q1w2e3r4 q1w2e3r4t5 1q2w3e4r5t 1q2w3e 147258369 159753 987654321 123654 112233 121212 131313 696969
777777 888888 999999 555555 666666 222222 333333 444444 101010 010101 123qwe qwe123 qweasd qweasdzxc
1234qwer password123 admin123 root toor administrator letmein1 master123 monkey123 dragon123 shadow123
sunshine1 princess1 football1 baseball1 iloveyou1 trustno1 whatever1 superman1 batman123 pokemon123
samsung iphone android google yahoo hotmail gmail facebook twitter instagram linkedin microsoft windows apple
playstation xbox nintendo minecraft fortnite roblox naruto onepiece dragonball matrix zombie vampire wizard
""".split()

words = """love baby angel princess monkey dragon shadow master sunshine football soccer summer winter jordan michael
charlie hunter killer tiger lion eagle falcon phoenix ninja pirate rocket star galaxy secret purple orange yellow
silver golden diamond crystal flower butterfly rainbow cookie chocolate coffee pizza pepper ginger honey sugar
happy lucky smile freedom liberty victory success power magic music guitar piano dance party beach ocean river
mountain forest country family friends mother father sister brother daddy mommy jesus heaven blessed faith hope
grace peace spirit password welcome hello admin login qwerty letmein trustno computer internet office company
""".split()

suffixes = ["", "1", "12", "123", "1234", "12345", "!", "1!", "123!", "@123", "#1", "01", "007", "69", "99", "2000"]
suffixes += [str(y) for y in range(1970, 2027)]
out = set()
for w in top:
    out.add(w)
for w, s in itertools.product(words, suffixes):
    for form in (w, w.capitalize()):
        out.add(form + s)
for n in range(8, 13):  # digit runs and repeats
    out.add("1234567890"[:n] if n <= 10 else "123456789012"[:n])
    for d in "0123456789":
        out.add(d * n)
walks = ["qwertyuiop", "asdfghjkl", "zxcvbnm", "1qaz2wsx3edc", "qazwsxedc", "poiuytrewq", "mnbvcxz"]
for w in walks:
    for n in range(8, len(w) + 1):
        out.add(w[:n])
lines = sorted(p for p in out if len(p) >= 8)
path = pathlib.Path(__file__).resolve().parent.parent / "src/modules/auth/data/common-passwords.txt"
path.parent.mkdir(parents=True, exist_ok=True)
path.write_text("\n".join(lines) + "\n", encoding="utf-8")
print(f"wrote {len(lines)} passwords to {path}")
