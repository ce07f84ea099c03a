/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * EpsimoBackoffPolicy:
 * @base_us: the first retry's largest delay (microseconds)
 * @cap_us: no single computed delay exceeds this (microseconds)
 * @max_tries: attempts in all, the first one included
 * @budget_us: time allowed from the first attempt to the last retry's start
 *
 * When and how often a failed request is tried again.
 */
typedef struct
{
  gint64 base_us;
  gint64 cap_us;
  guint  max_tries;
  gint64 budget_us;
} EpsimoBackoffPolicy;

/**
 * epsimo_backoff_ceiling:
 * @policy: the policy
 * @retry: 0 for the first retry, 1 for the second, ...
 *
 * Returns: min (cap, base × 2^retry) in microseconds
 */
gint64   epsimo_backoff_ceiling           (const EpsimoBackoffPolicy *policy,
                                           guint                      retry);

/**
 * epsimo_backoff_jitter:
 * @policy: the policy
 * @retry: 0 for the first retry, 1 for the second, ...
 * @rand: (nullable): the random source (tests pass a seeded one); NULL uses
 *   the global one
 *
 * "Full jitter": a uniformly random delay in [0, epsimo_backoff_ceiling()],
 * so that many clients failing together do not come back together.
 *
 * Returns: a delay in microseconds
 */
gint64   epsimo_backoff_jitter            (const EpsimoBackoffPolicy *policy,
                                           guint                      retry,
                                           GRand                     *rand);

/**
 * epsimo_backoff_next_delay:
 * @policy: the policy
 * @tries_done: attempts made so far (1 after the first failure)
 * @elapsed_us: time since the first attempt started
 * @hint_us: the server's own wait (Retry-After or X-RateLimit-Reset), or -1
 * @rand: (nullable): as for epsimo_backoff_jitter()
 * @delay_us: (out): how long to wait before the next attempt
 *
 * Decides whether to try again. The server's hint wins over the computed
 * backoff; a hint longer than the budget left means giving up now rather
 * than waiting for an answer that comes too late. A computed delay is cut to
 * the budget left.
 *
 * Returns: %TRUE to try again after *@delay_us, %FALSE to give up
 */
gboolean epsimo_backoff_next_delay        (const EpsimoBackoffPolicy *policy,
                                           guint                      tries_done,
                                           gint64                     elapsed_us,
                                           gint64                     hint_us,
                                           GRand                     *rand,
                                           gint64                    *delay_us);

/**
 * epsimo_backoff_parse_retry_after:
 * @value: (nullable): a Retry-After header: delta seconds or an HTTP date
 * @now_unix_us: the current time, microseconds since the epoch
 *
 * Returns: the wait in microseconds (0 for a date in the past), or -1 when
 *   @value is missing or malformed
 */
gint64   epsimo_backoff_parse_retry_after (const char                *value,
                                           gint64                     now_unix_us);

/**
 * epsimo_backoff_parse_rate_limit_reset:
 * @remaining: (nullable): the X-RateLimit-Remaining header
 * @reset: (nullable): the X-RateLimit-Reset header (epoch seconds)
 * @now_unix_us: the current time, microseconds since the epoch
 *
 * The wait the rate-limit headers ask for: only when the quota is used up
 * (remaining is 0) and the reset lies ahead.
 *
 * Returns: the wait in microseconds, or -1 when the headers ask for none
 */
gint64   epsimo_backoff_parse_rate_limit_reset (const char           *remaining,
                                                const char           *reset,
                                                gint64                now_unix_us);

G_END_DECLS
