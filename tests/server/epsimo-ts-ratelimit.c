/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-test-server"

#include "config.h"

#include "epsimo-ts-ratelimit.h"
#include "epsimo-ts-util.h"

#define WINDOW_SECONDS 60

typedef struct
{
  gint64 window_start;
  guint  count;
} Window;

struct _EpsimoTsRateLimit
{
  guint       limit;
  GHashTable *windows;
};

EpsimoTsRateLimit *
epsimo_ts_ratelimit_new (guint limit)
{
  EpsimoTsRateLimit *rl = g_new0 (EpsimoTsRateLimit, 1);

  rl->limit = limit;
  rl->windows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return rl;
}

void
epsimo_ts_ratelimit_free (EpsimoTsRateLimit *rl)
{
  if (rl == NULL)
    return;
  g_hash_table_unref (rl->windows);
  g_free (rl);
}

/* A new limit starts every client with a fresh window. */
void
epsimo_ts_ratelimit_set_limit (EpsimoTsRateLimit *rl,
                               guint              limit)
{
  rl->limit = limit;
  g_hash_table_remove_all (rl->windows);
}

guint
epsimo_ts_ratelimit_get_limit (EpsimoTsRateLimit *rl)
{
  return rl->limit;
}

/* Returns FALSE when @key is over the limit. @info is filled either way. */
gboolean
epsimo_ts_ratelimit_check (EpsimoTsRateLimit *rl,
                           const char        *key,
                           EpsimoTsRateInfo  *info)
{
  gint64 now = epsimo_ts_now_s ();
  Window *window;

  info->limit = rl->limit;
  info->remaining = 0;
  info->reset = now + WINDOW_SECONDS;
  info->retry_after = 0;

  if (rl->limit == 0)
    return TRUE;

  window = g_hash_table_lookup (rl->windows, key);
  if (window == NULL)
    {
      window = g_new0 (Window, 1);
      window->window_start = now;
      g_hash_table_insert (rl->windows, g_strdup (key), window);
    }
  else if (now >= window->window_start + WINDOW_SECONDS)
    {
      window->window_start = now;
      window->count = 0;
    }

  info->reset = window->window_start + WINDOW_SECONDS;

  if (window->count >= rl->limit)
    {
      info->retry_after = (guint) MAX (1, info->reset - now);
      return FALSE;
    }

  window->count++;
  info->remaining = rl->limit - window->count;
  return TRUE;
}
