// kAwait: the completion token of every coroutine in the daemon. A co_await on it yields
// (error_code, results...) as a tuple instead of throwing, so each error is handled where
// it happens.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace probity {

inline constexpr auto kAwait = boost::asio::as_tuple(boost::asio::use_awaitable);

}  // namespace probity
