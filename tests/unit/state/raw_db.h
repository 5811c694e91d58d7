// Test support for state/: the database opened with RocksDB itself, every column family,
// so a test can tamper with it as an older release (or a corrupt disk) would have left it.
#pragma once

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

using RawFamilies = std::map<std::string, rocksdb::ColumnFamilyHandle*>;

/// Opens the (closed) database at dir and hands fn the DB and its families by name.
inline void with_raw_db(const std::filesystem::path& dir,
                        const std::function<void(rocksdb::DB&, const RawFamilies&)>& fn) {
  std::vector<std::string> names;
  ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir.string(), &names).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  for (const auto& n : names) cfs.emplace_back(n, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(rocksdb::DBOptions(), dir.string(), cfs, &handles, &db).ok());
  RawFamilies by_name;
  for (std::size_t i = 0; i < names.size(); ++i) by_name[names[i]] = handles[i];
  fn(*db, by_name);
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h).PermitUncheckedError();
  db->Close().PermitUncheckedError();
  delete db;
}
