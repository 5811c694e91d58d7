// The state stage's front door: the RocksDB store (store.h), the ReferenceData interface
// rules use (reference.h) with its in-memory implementation (memory_reference.h) and row
// model (reference_tables.h), reference-data import (import.h, over the shared row
// vocabulary in reference_rows.h) and `state show` rendering (describe.h). codec.h, cache.h,
// csv.h, keys.h, register_index.h, store_db.h and tables.h are private to state/.
#pragma once

#include "state/describe.h"
#include "state/import.h"
#include "state/memory_reference.h"
#include "state/reference.h"
#include "state/reference_rows.h"
#include "state/reference_tables.h"
#include "state/store.h"
