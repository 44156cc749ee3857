// The backends every contract suite runs against. The suites (tests/storage/contract/*_test.cc)
// hold what the store ports promise (engine/item_store.h, engine/audit_log.h,
// engine/attachments.h, notifier/outbox.h, accounts/account.h, engine/survey_store.h), written
// against storage/stores.h alone, each case a TEMPLATE_TEST_CASE over RECTIFY_STORE_BACKENDS.
// Adding a backend is a class like SqliteBackend in a header of its own, included here, and its
// name added to the list; its cases then run as "<case> - <Backend>".
//
// A backend class is default-constructible and holds one fresh, empty database for one case
// (its ids and seqs start at 1: the audit records the suites expect name "problem 1"):
//   Stores& stores();                       every port of it
//   ManualClock& clock();                   the clock that stamps its audit records, at kStart + 1 h
//   void Reopen();                          closes the stores, then opens them on the same database
//   std::unique_ptr<Stores> OpenAnother();  more stores on the same database, as a second process
//                                           would hold them (writers there must not fork the chain)
//
// Besides the ports' headers, the suites expect what every rectify schema refuses, with kInternal
// and nothing stored: an item with an empty state, an outbox message whose audience is neither
// "unit" nor "supervisors", a survey household without a head name. A refused value is how they
// make a write fail part way and see that it leaves nothing. They also expect the audit records'
// actors, subjects and details word for word as storage/sqlite_audit.h builds them.
#pragma once

#include "tests/storage/contract/postgres_backend.h"
#include "tests/storage/contract/sqlite_backend.h"

// Named inside namespace rectify::testing, where the suites live.
#define RECTIFY_STORE_BACKENDS SqliteBackend, PostgresBackend
