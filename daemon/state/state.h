// The state stage's front door: the RocksDB store (store.h), the ReferenceData interface
// rules use (reference.h), reference-data import (import.h) and `state show` rendering
// (describe.h). codec.h, cache.h, csv.h and tables.h are private to state/.
#pragma once

#include "state/describe.h"
#include "state/import.h"
#include "state/reference.h"
#include "state/store.h"
