"""A practitioner's account, scripted with the relledger CLI alone: Harbor Mutual, a mid-size
insurer, eleven contacts at several levels over fourteen months (October 2025 to November 2026),
a contract, a contact-level long-term commitment, a plan with two goals and three initiatives
(one late, one done), three reviews, one retraction and one forgotten contact. Every read is
asked about AT, so the answers are reproducible.

Run it by hand (it prints each read as an account manager would look at it):

    python tests/practitioner_account.py /tmp/review.db

tests/test_practitioner_review.py records the same SCRIPT and asserts the advice.
"""

from __future__ import annotations

import shlex
import subprocess
import sys

AT = "2026-11-20"

SCRIPT = [
    "account add hm --name Harbor-Mutual --at 2025-10-01",
    "contact add hm/marta --name Marta --title CIO --role decision-maker --at 2025-10-01",
    "contact add hm/piet --name Piet --title Head-of-Procurement --role gatekeeper --at 2025-10-01",
    "contact add hm/henrik --name Henrik --title CFO --role economic-buyer --reports-to hm/marta --at 2025-10-01",
    "contact add hm/sara --name Sara --title Head-of-Claims-Ops --role champion --at 2025-10-01",
    "contact add hm/tariq --name Tariq --title Lead-Architect --role technical-evaluator --reports-to hm/marta --at 2025-10-01",
    "contact add hm/greta --name Greta --title EA-to-the-CEO --role gatekeeper --at 2025-10-01",
    "contact add hm/ulla --name Ulla --title Claims-Handler --role user --reports-to hm/sara --at 2025-10-02",
    "contact add hm/uwe --name Uwe --title Claims-Handler --role user --reports-to hm/sara --at 2025-10-02",
    "contact add hm/otis --name Otis --title COO --role influencer --at 2025-10-02",
    "contact add hm/lena --name Lena --title Legal-Counsel --at 2025-10-02",
    "contact add hm/colin --name Colin --title CISO --at 2025-10-02",
    # Marta (CIO): met at the start, a considered assessment in October 2025, quarterly meetings
    # through the year; a high role too.
    "log hm/marta meeting --at 2025-10-14 --id marta-m1",
    "assess hm/marta relationship=yes power=high perception=advocate activity=active --reason Sponsor-of-the-RFP --at 2025-10-15 --id marta-a1",
    "log hm/marta meeting --at 2026-01-20 --id marta-m2",
    "log hm/marta meeting --at 2026-04-22 --id marta-m3",
    "log hm/marta call --outcome answered --at 2026-07-15 --id marta-c1",
    "log hm/marta meeting --at 2026-10-08 --id marta-m4",
    # Piet (procurement, gatekeeper): takes our calls but declined the pricing meeting; judged
    # low power, neutral-to-negative about the company's pricing.
    "log hm/piet call --outcome answered --at 2025-11-05 --id piet-c1",
    "assess hm/piet power=low --reason Executes-not-decides --at 2025-11-06 --id piet-a1",
    "log hm/piet call --outcome returned --at 2026-02-10 --id piet-c2",
    "log hm/piet meeting --outcome declined --at 2026-06-03 --id piet-m1",
    "feedback hm/piet --about company --sentiment negative --note Price-uplift-too-high --channel email --at 2026-06-04 --id piet-f1",
    "log hm/piet call --outcome answered --at 2026-09-22 --id piet-c3",
    # Henrik (CFO, economic buyer): nobody has met him; two unanswered calls, a declined meeting.
    "log hm/henrik call --outcome unanswered --at 2026-03-02 --id henrik-c1",
    "log hm/henrik meeting --outcome declined --at 2026-05-11 --id henrik-m1",
    "log hm/henrik call --outcome unanswered --at 2026-09-14 --id henrik-c2",
    # Sara (champion): judged a high-power active advocate, one bug complaint in August answered
    # two days later, her own long-term commitment in October.
    "log hm/sara meeting --at 2025-10-20 --id sara-m1",
    "assess hm/sara relationship=yes power=high perception=advocate activity=active --reason Owns-the-claims-budget --at 2025-10-21 --id sara-a1",
    "log hm/sara meeting --at 2026-02-03 --id sara-m2",
    "feedback hm/sara --about product --sentiment positive --channel meeting --at 2026-02-03 --id sara-f1",
    "log hm/sara email --direction inbound --tag rollout --at 2026-05-18 --id sara-e1",
    "feedback hm/sara --about product --sentiment negative --note Batch-import-drops-rows --channel email --at 2026-08-11 --id sara-f2",
    "respond sara-f2 --note Hotfix-5.3.1 --at 2026-08-13 --id sara-r1",
    "log hm/sara meeting --at 2026-09-29 --id sara-m3",
    "milestone hm/sara long-term-commitment --at 2026-10-01 --id sara-lt",
    "log hm/sara call --outcome answered --at 2026-11-09 --id sara-c1",
    # Tariq (technical evaluator): lively during the evaluation, then quiet since spring.
    "log hm/tariq meeting --at 2025-11-12 --id tariq-m1",
    "feedback hm/tariq --about product --sentiment positive --channel poc --at 2025-12-01 --id tariq-f1",
    "feedback hm/tariq --about product --sentiment positive --channel poc --at 2025-12-15 --id tariq-f2",
    "log hm/tariq call --outcome answered --at 2026-02-20 --id tariq-c1",
    "log hm/tariq email --direction inbound --at 2026-03-18 --id tariq-e1",
    "log hm/tariq call --outcome unanswered --at 2026-06-10 --id tariq-c2",
    "log hm/tariq call --outcome unanswered --at 2026-07-21 --id tariq-c3",
    "log hm/tariq email --outcome unanswered --at 2026-09-01 --id tariq-e2",
    # Greta (EA to the CEO, gatekeeper): returns calls, books slots; judged low power.
    "log hm/greta call --outcome returned --at 2026-01-12 --id greta-c1",
    "assess hm/greta power=low --at 2026-01-12 --id greta-a1",
    "log hm/greta call --outcome answered --at 2026-06-15 --id greta-c2",
    "log hm/greta call --outcome returned --at 2026-10-27 --id greta-c3",
    # Ulla and Uwe (claims handlers): only survey feedback.
    "feedback hm/ulla --about product --sentiment positive --channel survey --at 2026-03-31 --id ulla-f1",
    "feedback hm/ulla --about service --sentiment neutral --channel survey --at 2026-09-30 --id ulla-f2",
    "feedback hm/uwe --about service --sentiment negative --note Support-queue-slow --channel survey --at 2026-09-30 --id uwe-f1",
    # Otis (COO): the detractor exec; judged in December, declined our meeting, complained about
    # the company at the steering committee in October.
    "assess hm/otis power=high perception=detractor activity=active --reason Pushing-the-incumbent --at 2025-12-10 --id otis-a1",
    "log hm/otis meeting --outcome declined --at 2026-02-25 --id otis-m1",
    "feedback hm/otis --about company --sentiment negative --note Implementation-late --channel steering-committee --at 2026-10-19 --id otis-f1",
    # Lena (legal): negotiated the contract, then left and asked to be forgotten (done after SCRIPT).
    "log hm/lena meeting --at 2025-12-05 --id lena-m1",
    "log hm/lena call --outcome answered --at 2026-01-08 --id lena-c1",
    # Colin (CISO): one security review meeting; a call logged on him by mistake is retracted below.
    "log hm/colin meeting --at 2026-04-08 --id colin-m1",
    "log hm/colin call --outcome declined --at 2026-10-05 --id colin-c1-wrong",
    "feedback hm/colin --about you --sentiment negative --note Too-pushy --channel call --at 2026-05-02 --id colin-f1",
    # The account: contract, plan, reviews.
    "milestone hm contract-signed --at 2026-01-15 --id hm-k1",
    "goal add hm Win-the-renewal-with-the-CFO --target 2026-12-31 --at 2026-01-20 --id hm-g1",
    "initiative add hm-g1 CFO-value-review --owner ann --due 2026-08-31 --contact hm/henrik --id hm-i1 --at 2026-01-20",
    "initiative add hm-g1 Claims-case-study-with-Sara --owner ann --due 2026-06-30 --contact hm/sara --id hm-i2 --at 2026-01-20",
    "initiative done hm-i2 --note Published --at 2026-06-25 --id hm-i2-done",
    "goal add hm Neutralise-the-COO --target 2027-03-31 --at 2026-04-01 --id hm-g2",
    "initiative add hm-g2 Delivery-recovery-plan-for-Otis --owner bo --due 2026-12-15 --contact hm/otis --id hm-i3 --at 2026-04-01",
    "review hm --note Q1 --at 2026-04-01 --id hm-rv1",
    "review hm --note Q2 --at 2026-07-02 --id hm-rv2",
    "review hm --note Q3 --at 2026-10-06 --id hm-rv3",
]

AFTER = [  # corrections made today: a call logged against the wrong contact, and Lena's erasure
    "retract colin-c1-wrong --reason Logged-against-the-wrong-contact --id colin-retract",
    "forget hm/lena --yes",
]

CONTACTS = ["marta", "piet", "henrik", "sara", "tariq", "greta", "ulla", "uwe", "otis", "lena", "colin"]

READS = (
    [["show", f"hm/{c}", "--at", AT] for c in CONTACTS]
    + [["show", f"hm/{c}", "--at", AT, "--json"] for c in CONTACTS]
    + [["why", f"hm/{c}", "--at", AT] for c in CONTACTS]
    + [["show", "hm", "--at", AT], ["list", "--account", "hm", "--at", AT],
       ["list", "--action", "risk", "--at", AT], ["list", "--action", "potential", "--at", AT],
       ["due", "--at", AT], ["gaps", "--account", "hm", "--at", AT], ["map", "hm", "--at", AT],
       ["plan", "hm", "--at", AT], ["review", "hm", "--since-last", "--at", AT],
       ["trend", "--account", "hm", "--by", "quarter", "--at", AT],
       ["history", "hm/sara", "--at", AT], ["history", "hm/tariq", "--at", AT], ["history", "hm/colin", "--at", AT]]
)


def record(run) -> None:
    """Record the scenario through ``run(*args)`` (the CLI, one command per line)."""
    for line in SCRIPT + AFTER:
        run(*line.split())


def main(ledger: str) -> None:
    def run(*args: str) -> str:
        out = subprocess.run(["relledger", "--ledger", ledger, *args], capture_output=True, text=True, check=True)
        return out.stdout

    record(run)
    for args in READS:
        print(f"$ relledger {shlex.join(args)}")
        print(run(*args))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/review.db")
