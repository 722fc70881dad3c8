"""The revisions, oldest first: 0001 the documents, articles and facts; 0002 the runs and query indexes."""
