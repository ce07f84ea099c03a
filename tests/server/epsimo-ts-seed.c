/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-test-server"

#include "config.h"

#include <string.h>

#include "epsimo-ts-seed.h"
#include "epsimo-ts-util.h"

static const char update_database_parameters[] =
  "{\"type\":\"object\","
  "\"properties\":{\"key\":{\"type\":\"string\"},\"value\":{\"type\":\"object\"}},"
  "\"required\":[\"key\",\"value\"]}";

static EpsimoTsTool *
add_tool (EpsimoTsAssistant *assistant,
          const char        *type)
{
  EpsimoTsTool *tool = epsimo_ts_tool_new (type);
  g_autofree char *hex = epsimo_ts_random_hex (4);

  tool->id = g_strdup_printf ("%s-%s", type, hex);
  g_ptr_array_add (assistant->tools, tool);
  return tool;
}

static void
add_update_database (EpsimoTsAssistant *assistant)
{
  EpsimoTsTool *tool = add_tool (assistant, "function");

  tool->name = g_strdup ("update_database");
  tool->description = g_strdup ("Save structured data");
  json_object_set_member (tool->settings, "parameters",
                          epsimo_ts_json_parse (update_database_parameters, -1, NULL));
}

static void
add_search (EpsimoTsAssistant *assistant)
{
  EpsimoTsTool *tool = add_tool (assistant, "search_tavily");

  json_object_set_int_member (tool->settings, "max_results", 5);
}

static void
add_retrieval (EpsimoTsAssistant *assistant)
{
  EpsimoTsTool *tool = add_tool (assistant, "retrieval");

  json_object_set_int_member (tool->settings, "top_k", 4);
  json_object_set_double_member (tool->settings, "score_threshold", 0.5);
}

static EpsimoTsAssistant *
add_assistant (EpsimoTsStore   *store,
               EpsimoTsProject *project,
               const char      *name,
               const char      *instructions,
               const char      *model)
{
  EpsimoTsAssistant *assistant = epsimo_ts_store_add_assistant (store, project, name);

  g_free (assistant->instructions);
  assistant->instructions = g_strdup (instructions);
  g_free (assistant->model);
  assistant->model = g_strdup (model);
  return assistant;
}

static void
add_history (EpsimoTsThread *thread,
             const char     *const *turns)
{
  for (guint i = 0; turns[i] != NULL; i++)
    epsimo_ts_thread_append_message (thread, i % 2 == 0 ? "user" : "assistant", turns[i]);
}

static void
set_db (EpsimoTsThread *thread,
        const char     *key,
        const char     *json)
{
  json_object_set_member (thread->db, key, epsimo_ts_json_parse (json, -1, NULL));
}

static void
seed_customer_support (EpsimoTsStore *store,
                       EpsimoTsUser  *user)
{
  static const char *const order[] = {
    "My order #1042 has not arrived yet. Can you check?",
    "## Order #1042\n\nI looked it up: the parcel left the warehouse on **Monday** and is "
    "*in transit*.\n\n- Carrier: PostNord\n- Tracking: `PN-88412-SE`\n\nIt should arrive "
    "within two working days.",
    "Thanks! Can you remind me if it is still late on Friday?",
    "Of course. I saved a reminder for **Friday** in this thread.",
    NULL,
  };
  static const char *const refund[] = {
    "How do I ask for a refund?",
    "You can ask for a refund within **30 days**:\n\n1. Open *My orders*\n2. Pick the order\n"
    "3. Choose **Return items**\n\nSee the [returns policy](https://example.test/returns).",
    NULL,
  };
  static const char *const shipping[] = {
    "Do you ship to Norway?",
    "Yes. Shipping to Norway takes 3-5 days and costs `9.90 EUR`; customs are included.",
    NULL,
  };
  EpsimoTsProject *project;
  EpsimoTsAssistant *agent;
  EpsimoTsAssistant *returns;
  EpsimoTsThread *thread;

  project = epsimo_ts_store_add_project (store, user, "Customer Support",
                                         "Answers customer questions about orders and returns",
                                         NULL);
  agent = add_assistant (store, project, "Support Agent",
                         "You are a friendly support agent. Keep answers short.", "gpt-4o");
  add_search (agent);
  add_retrieval (agent);
  add_update_database (agent);
  returns = add_assistant (store, project, "Returns Helper",
                           "You help customers return items.", "gpt-4o-mini");
  add_update_database (returns);

  thread = epsimo_ts_store_add_thread (store, project, agent->assistant_id,
                                       "Order #1042 delayed", NULL);
  add_history (thread, order);
  set_db (thread, "user_preferences", "{\"theme\":\"dark\",\"language\":\"en\"}");
  set_db (thread, "status", "\"active\"");
  set_db (thread, "last_action", "\"checkout\"");
  set_db (thread, "reminder", "{\"day\":\"Friday\",\"order\":1042}");

  thread = epsimo_ts_store_add_thread (store, project, returns->assistant_id,
                                       "Refund request", NULL);
  add_history (thread, refund);
  set_db (thread, "status", "\"open\"");

  thread = epsimo_ts_store_add_thread (store, project, agent->assistant_id,
                                       "Shipping to Norway", NULL);
  add_history (thread, shipping);

  epsimo_ts_store_add_file (store, project, NULL, "returns-policy.pdf", 248731,
                            "application/pdf", "retrieval", NULL);
  epsimo_ts_store_add_file (store, project, NULL, "faq.md", 12044,
                            "text/markdown", "assistants", NULL);
  epsimo_ts_store_add_file (store, project, agent->assistant_id, "product-catalogue.csv", 90211,
                            "text/csv", "retrieval", NULL);
}

static void
seed_research_lab (EpsimoTsStore *store,
                   EpsimoTsUser  *user)
{
  static const char *const folding[] = {
    "Summarize the state of protein folding prediction.",
    "# Protein folding\n\nSince *AlphaFold 2* (2020), structure prediction reaches "
    "near-experimental accuracy for many proteins.\n\n- **Strengths:** single chains\n"
    "- **Open problems:** complexes, dynamics\n\n```python\nfrom folding import predict\n"
    "structure = predict(\"MKTAYIAKQR\")\n```",
    NULL,
  };
  static const char *const llm[] = {
    "Find recent papers on evaluating language models.",
    "Here are three starting points:\n\n1. *Holistic Evaluation of Language Models*\n"
    "2. *Judging LLM-as-a-judge*\n3. *Chatbot Arena*\n\nShall I save them to the reading list?",
    "Yes please.",
    "Saved. The `reading_list` key now holds **3** papers.",
    NULL,
  };
  static const char *const reading[] = {
    "What is on my reading list?",
    "Your list has three papers; the oldest is from **2022**.",
    NULL,
  };
  static const char *const misc[] = {
    "Explain p-values in one paragraph.",
    "A *p-value* is the probability of seeing data at least as extreme as yours if the null "
    "hypothesis were true. It is **not** the probability that the hypothesis is true.",
    NULL,
  };
  EpsimoTsProject *project;
  EpsimoTsAssistant *research;
  EpsimoTsAssistant *summarizer;
  EpsimoTsThread *thread;

  project = epsimo_ts_store_add_project (store, user, "Research Lab",
                                         "Literature search and paper summaries", NULL);
  research = add_assistant (store, project, "Research Assistant",
                            "You help with research tasks and cite your sources.", "gpt-4o");
  add_search (research);
  add_tool (research, "arxiv");
  add_tool (research, "pubmed");
  add_tool (research, "wikipedia");
  add_update_database (research);
  summarizer = add_assistant (store, project, "Paper Summarizer",
                              "Summarize the uploaded papers in plain language.", "gpt-4o");
  add_retrieval (summarizer);
  add_update_database (summarizer);
  add_assistant (store, project, "Statistics Tutor",
                 "Explain statistics simply, with one example each time.", "gpt-4o-mini");

  thread = epsimo_ts_store_add_thread (store, project, research->assistant_id,
                                       "Protein folding survey", NULL);
  add_history (thread, folding);
  thread = epsimo_ts_store_add_thread (store, project, research->assistant_id,
                                       "LLM evaluation papers", NULL);
  add_history (thread, llm);
  set_db (thread, "reading_list",
          "[\"HELM (2022)\",\"LLM-as-a-judge (2023)\",\"Chatbot Arena (2024)\"]");
  set_db (thread, "status", "\"active\"");
  thread = epsimo_ts_store_add_thread (store, project, summarizer->assistant_id,
                                       "Reading list", NULL);
  add_history (thread, reading);
  thread = epsimo_ts_store_add_thread (store, project, research->assistant_id,
                                       "Statistics questions", NULL);
  add_history (thread, misc);

  epsimo_ts_store_add_file (store, project, NULL, "notes.txt", 4211,
                            "text/plain", "assistants", NULL);
  epsimo_ts_store_add_file (store, project, summarizer->assistant_id, "helm-2022.pdf", 3120455,
                            "application/pdf", "retrieval", NULL);
}

static void
seed_personal (EpsimoTsStore *store,
               EpsimoTsUser  *user)
{
  static const char *const trip[] = {
    "Plan three days in Lisbon.",
    "## Three days in Lisbon\n\n- **Day 1:** Alfama and the castle\n- **Day 2:** Belem\n"
    "- **Day 3:** Sintra\n\nTake tram `28` early to skip the queue.",
    NULL,
  };
  static const char *const groceries[] = {
    "remember list = [\"milk\", \"eggs\"]",
    "Done. I saved **list** in this thread's database.",
    NULL,
  };
  EpsimoTsProject *project;
  EpsimoTsAssistant *helper;
  EpsimoTsThread *thread;

  project = epsimo_ts_store_add_project (store, user, "Personal", "", NULL);
  helper = add_assistant (store, project, "Helper", "You are a helpful assistant.", "gpt-4o");
  add_tool (helper, "ddg_search");
  add_update_database (helper);

  thread = epsimo_ts_store_add_thread (store, project, helper->assistant_id,
                                       "Trip to Lisbon", NULL);
  add_history (thread, trip);
  thread = epsimo_ts_store_add_thread (store, project, helper->assistant_id,
                                       "Weekly groceries", NULL);
  add_history (thread, groceries);
  set_db (thread, "list", "[\"milk\",\"eggs\"]");

  epsimo_ts_store_add_file (store, project, NULL, "packing-list.txt", 812,
                            "text/plain", "assistants", NULL);
}

EpsimoTsUser *
epsimo_ts_seed_demo (EpsimoTsStore *store)
{
  EpsimoTsUser *user = epsimo_ts_store_add_user (store, EPSIMO_TS_DEMO_EMAIL,
                                                 EPSIMO_TS_DEMO_PASSWORD, "Demo User");

  g_free (user->tier);
  user->tier = g_strdup ("standard");
  user->thread_counter = 12;
  user->thread_max = 100;

  seed_customer_support (store, user);
  seed_research_lab (store, user);
  seed_personal (store, user);
  return user;
}

GPtrArray *
epsimo_ts_seed_projects (EpsimoTsStore *store,
                         EpsimoTsUser  *user,
                         guint          count)
{
  GPtrArray *created = g_ptr_array_sized_new (count);

  for (guint i = 0; i < count; i++)
    {
      char name[32];

      g_snprintf (name, sizeof name, "Project %04u", i + 1);
      g_ptr_array_add (created, epsimo_ts_store_add_project (store, user, name, "", NULL));
    }

  return created;
}

EpsimoTsAssistant *
epsimo_ts_seed_default_assistant (EpsimoTsStore   *store,
                                  EpsimoTsProject *project)
{
  EpsimoTsAssistant *assistant;

  if (project->assistants->len > 0)
    return g_ptr_array_index (project->assistants, 0);

  assistant = add_assistant (store, project, "Seed Assistant",
                             "You are a helpful assistant.", "gpt-4o");
  add_update_database (assistant);
  return assistant;
}

GPtrArray *
epsimo_ts_seed_threads (EpsimoTsStore   *store,
                        EpsimoTsProject *project,
                        const char      *assistant_id,
                        guint            count)
{
  GPtrArray *created = g_ptr_array_sized_new (count);

  for (guint i = 0; i < count; i++)
    {
      char name[32];

      g_snprintf (name, sizeof name, "Thread %04u", i + 1);
      g_ptr_array_add (created, epsimo_ts_store_add_thread (store, project, assistant_id,
                                                            name, NULL));
    }

  return created;
}

/* Alternating turns of 1 to 40 lines; every tenth message has a code block. */
void
epsimo_ts_seed_messages (EpsimoTsThread *thread,
                         guint           count)
{
  static const char *const words[] = {
    "streaming", "thread", "*emphasis*", "`code`", "assistant", "markdown", "window",
    "**bold**", "database", "message", "list", "scroll", "render", "project", "token",
  };
  guint base = thread->messages->len;
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < count; i++)
    {
      guint n = base + i;
      guint lines = 1 + (n * 7) % 40;

      g_string_truncate (text, 0);
      g_string_append_printf (text, "Message %u.", n + 1);
      for (guint line = 0; line < lines; line++)
        {
          g_string_append_c (text, line == 0 ? ' ' : '\n');
          for (guint w = 0; w < 6 + (n + line) % 9; w++)
            {
              if (w > 0)
                g_string_append_c (text, ' ');
              g_string_append (text, words[(n * 3 + line * 5 + w) % G_N_ELEMENTS (words)]);
            }
        }

      if (n % 10 == 9)
        {
          g_string_append (text, "\n\n```python\n");
          for (guint line = 0; line < 30; line++)
            g_string_append_printf (text, "value_%u = compute(%u, %u)  # line %u\n",
                                    line, n, line, line + 1);
          g_string_append (text, "```\n");
        }

      epsimo_ts_thread_take_message (thread, NULL, n % 2 == 0 ? "user" : "assistant",
                                     g_strndup (text->str, text->len));
    }

  g_string_free (text, TRUE);
}
