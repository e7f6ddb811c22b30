#!/usr/bin/env python3
"""Recounts a participatory budget from its anonymous ballots.

Usage: recount.py BALLOTS.csv PROJECTS.csv RULE MIN_VOTES
  BALLOTS.csv  ballot,day,choices  (choices: project numbers separated by spaces)
  PROJECTS.csv number,pot,pot_amount_cents,cost_cents,neighbourhood
  RULE         greedy | neighbourhoods | equal-shares
Prints, per pot, "pot <i>: <winners in the order chosen>". The rules and the
tie rule (more votes, then cheaper, then lower number) are those of
src/domain/budgets/results.rs; docs/budgets-recount.md says how to use it.
"""
import csv
import sys


def ranked(projects):
    return sorted(projects, key=lambda p: (-p["votes"], p["cost"], p["number"]))


def greedy(projects, budget, min_votes):
    left, won = budget, []
    for p in ranked(projects):
        if p["votes"] >= min_votes and p["cost"] <= left:
            left -= p["cost"]
            won.append(p["number"])
    return won


def per_neighbourhood(projects, budget, min_votes):
    order = ranked(projects)
    left, won, covered = budget, [], set()
    for p in order:
        h = p["hood"]
        if h and p["votes"] >= min_votes and p["cost"] <= left and h not in covered:
            left -= p["cost"]
            won.append(p["number"])
            covered.add(h)
    for p in order:
        if p["votes"] >= min_votes and p["cost"] <= left and p["number"] not in won:
            left -= p["cost"]
            won.append(p["number"])
    return won


def same(a, b):
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1.0)


def rho(cost, sup, weights, money):
    available = sum(money[g] * weights[g] for g in sup)
    if available < cost and not same(available, cost):
        return None
    remaining, weight, richest = cost, sum(weights[g] for g in sup), 0.0
    for g in sorted(sup, key=lambda g: money[g]):
        have = money[g]
        if have * weight >= remaining or same(have * weight, remaining):
            return remaining / weight
        remaining -= have * weights[g]
        weight -= weights[g]
        richest = have
    return richest


def mes_run(eligible, groups, weights, supporters, share):
    money = [share] * len(groups)
    won, open_ = [], [True] * len(eligible)
    while True:
        best = None
        for i, p in enumerate(eligible):
            if not open_[i]:
                continue
            r = rho(float(p["cost"]), supporters[i], weights, money)
            if r is None:
                open_[i] = False
                continue
            if best is None or (r < best[1] and not same(r, best[1])):
                best = (i, r)
        if best is None:
            return won
        i, r = best
        open_[i] = False
        won.append(eligible[i]["number"])
        for g in supporters[i]:
            money[g] = max(money[g] - r, 0.0)


def equal_shares(projects, ballots, budget, min_votes):
    eligible = [p for p in ranked(projects) if p["votes"] >= min_votes]
    numbers = {p["number"] for p in eligible}
    counts = {}
    for b in ballots:
        s = tuple(sorted({n for n in b if n in numbers}))
        if s:
            counts[s] = counts.get(s, 0.0) + 1.0
    if not counts:
        return []
    groups = sorted(counts)
    weights = [counts[g] for g in groups]
    supporters = [[g for g, s in enumerate(groups) if p["number"] in s] for p in eligible]
    cost_of = lambda won: sum(p["cost"] for p in eligible if p["number"] in won)
    share = budget / sum(weights)
    best = mes_run(eligible, groups, weights, supporters, share)
    for step in range(1, 101):
        won = mes_run(eligible, groups, weights, supporters, share * (1.0 + step / 100.0))
        if cost_of(won) > budget:
            break
        best = won
    left = budget - min(cost_of(best), budget)
    for p in eligible:
        if p["cost"] <= left and p["number"] not in best:
            left -= p["cost"]
            best.append(p["number"])
    return best


def main(ballots_path, projects_path, rule, min_votes):
    with open(ballots_path, newline="", encoding="utf-8") as f:
        ballots = [[int(n) for n in row["choices"].split()] for row in csv.DictReader(f)]
    with open(projects_path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    votes = {}
    for b in ballots:
        for n in b:
            votes[n] = votes.get(n, 0) + 1
    pots = {}
    for r in rows:
        pot = int(r["pot"])
        pots.setdefault(pot, {"amount": int(r["pot_amount_cents"]), "projects": []})
        n = int(r["number"])
        pots[pot]["projects"].append(
            {"number": n, "cost": int(r["cost_cents"]), "hood": r["neighbourhood"], "votes": votes.get(n, 0)}
        )
    for pot in sorted(pots):
        projects, budget = pots[pot]["projects"], pots[pot]["amount"]
        here_numbers = {p["number"] for p in projects}
        here = [[n for n in b if n in here_numbers] for b in ballots]
        here = [b for b in here if b]
        if rule == "greedy":
            won = greedy(projects, budget, min_votes)
        elif rule == "neighbourhoods":
            won = per_neighbourhood(projects, budget, min_votes)
        elif rule == "equal-shares":
            won = equal_shares(projects, here, budget, min_votes)
        else:
            sys.exit(f"unknown rule {rule}: greedy, neighbourhoods or equal-shares")
        print(f"pot {pot}: {' '.join(str(n) for n in won)}")


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
