"""The rule coder: event words of the lexicon (data/events) matched on the dependency parse of
each sentence (`sentence.match_sentence`), then coded into Event records report by report
(`document.DocumentCoder`)."""
