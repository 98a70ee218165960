-- The five tables of the original Python Giggles, with the columns it had.
--
-- CREATE ... IF NOT EXISTS on purpose: pointed at an existing Giggles Supabase project these
-- tables are already there with data, and this migration must leave them alone; on an empty
-- database it creates the same shape. Everything Giggles adds lives in later migrations as
-- ADD COLUMN IF NOT EXISTS, so both paths converge on one schema.
--
-- One deliberate difference: the original's users.id referenced auth.users(id). That table
-- belongs to Supabase Auth and is not present on a bare Postgres, so no foreign key is created
-- here; an existing project keeps the one it has.

CREATE TABLE IF NOT EXISTS public.users (
  id uuid PRIMARY KEY,
  email text UNIQUE NOT NULL,
  is_active boolean DEFAULT true,
  mfa_enabled boolean DEFAULT false,
  timezone text DEFAULT 'UTC',
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now()
);

CREATE TABLE IF NOT EXISTS public.limitless_keys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES public.users (id) ON DELETE CASCADE,
  encrypted_api_key text NOT NULL,
  is_active boolean DEFAULT true,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now()
);

-- `date` is the user's local calendar day; start_time/end_time are instants.
CREATE TABLE IF NOT EXISTS public.audio_segments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES public.users (id) ON DELETE CASCADE,
  date date NOT NULL,
  start_time timestamptz NOT NULL,
  end_time timestamptz NOT NULL,
  file_path text,
  processed boolean DEFAULT false,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now()
);

CREATE TABLE IF NOT EXISTS public.laughter_detections (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES public.users (id) ON DELETE CASCADE,
  audio_segment_id uuid NOT NULL REFERENCES public.audio_segments (id) ON DELETE CASCADE,
  "timestamp" timestamptz NOT NULL,
  probability numeric(5, 4) NOT NULL CHECK (probability >= 0 AND probability <= 1),
  clip_path text,
  notes text,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now()
);

CREATE TABLE IF NOT EXISTS public.processing_logs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES public.users (id) ON DELETE CASCADE,
  date date NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'processing', 'completed', 'failed')),
  message text,
  last_processed timestamptz,
  created_at timestamptz DEFAULT now(),
  updated_at timestamptz DEFAULT now()
);

-- The original's later column additions (laughter classes, enhanced processing logs), in case
-- an existing project never ran those scripts.
ALTER TABLE public.laughter_detections
  ADD COLUMN IF NOT EXISTS class_id integer,
  ADD COLUMN IF NOT EXISTS class_name text;

ALTER TABLE public.processing_logs
  ADD COLUMN IF NOT EXISTS processing_steps jsonb DEFAULT '[]'::jsonb,
  ADD COLUMN IF NOT EXISTS api_calls jsonb DEFAULT '[]'::jsonb,
  ADD COLUMN IF NOT EXISTS error_details jsonb DEFAULT '{}'::jsonb,
  ADD COLUMN IF NOT EXISTS trigger_type text DEFAULT 'manual'
    CHECK (trigger_type IN ('manual', 'scheduled', 'cron')),
  ADD COLUMN IF NOT EXISTS processing_duration_seconds integer DEFAULT 0,
  ADD COLUMN IF NOT EXISTS audio_files_downloaded integer DEFAULT 0,
  ADD COLUMN IF NOT EXISTS laughter_events_found integer DEFAULT 0,
  ADD COLUMN IF NOT EXISTS duplicates_skipped integer DEFAULT 0;

-- The original stored clip and audio paths as NOT NULL; Giggles keeps no audio file (audio is
-- transient) and a detection may have no clip, so both become optional.
ALTER TABLE public.audio_segments ALTER COLUMN file_path DROP NOT NULL;
ALTER TABLE public.laughter_detections ALTER COLUMN clip_path DROP NOT NULL;

-- Keeps updated_at honest for every writer (the original had one trigger function per table).
CREATE OR REPLACE FUNCTION public.giggles_touch_updated_at() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog
  AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['users', 'limitless_keys', 'audio_segments', 'laughter_detections', 'processing_logs'] LOOP
    EXECUTE format('DROP TRIGGER IF EXISTS giggles_touch_updated_at ON public.%I', t);
    EXECUTE format(
      'CREATE TRIGGER giggles_touch_updated_at BEFORE UPDATE ON public.%I
         FOR EACH ROW EXECUTE FUNCTION public.giggles_touch_updated_at()', t);
  END LOOP;
END $$;
