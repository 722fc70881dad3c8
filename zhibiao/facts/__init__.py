"""The fact stage: quantities in their document → Facts, with indicator, region, entity and period.

A package of resolvers, each a module with one job, all reading one document model (zhibiao.docmodel):
context (what they read, how they decide), indicators, regions, dating (periods), entities, lists
(分别, 、-lists, shared ranks), phrases (the words a figure is said of), build (the loop that makes facts).
Cue words live in lexicons/.
"""

from .build import build_facts

__all__ = ["build_facts"]
