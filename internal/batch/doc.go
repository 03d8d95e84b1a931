// Package batch groups concurrent calls into batches that one function handles together (group
// commit): while one batch is being written, the items that arrive queue up, and the next batch
// takes them all. It is how registrations share one durable commit and how the mail worker's
// concurrent senders record their outcomes in one transaction.
//
// It imports nothing of ours.
package batch
