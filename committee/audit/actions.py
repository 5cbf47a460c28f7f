"""The audit log's vocabulary: each action's words for people, registered by the app that records it.

An entry stores its action as a short dotted slug ("proposal.submitted"), which never changes; the words are
looked up when the entry is read. The audit app knows no actions of its own: committee.directory and
policies register theirs in their AppConfig.ready.
"""

from committee.vocabulary import Vocabulary

ACTIONS = Vocabulary("audit action")
