/** The shapes the app reads from /api/v1 (see /api/openapi.json). */
export type JobSummary = {
  id: string;
  title: string;
  company: string;
  location: string | null;
  remote: boolean;
  salaryMin: number | null;
  salaryMax: number | null;
  salaryCurrency: string;
  salaryPeriod: string;
  experienceLevel: string | null;
  jobType: string;
  requirements: string[];
  skills: string[];
  source: string;
  sourceUrl: string | null;
  postedDate: string;
  lastSeenAt: string;
  stale: boolean;
};
export type JobHit = JobSummary & { snippet: string };
export type JobFacets = {
  total: number;
  jobType: Record<string, number>;
  experienceLevel: Record<string, number>;
  remote: Record<string, number>;
  approximate: boolean;
};
export type JobPage = { data: JobHit[]; nextCursor: string | null; facets?: JobFacets };
export type JobDetail = JobSummary & {
  description: string;
  applicationCount: number;
  bookmarked: boolean | null;
  applied: boolean | null;
};
export type User = {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  role: 'user' | 'admin';
  plan: string;
  verified: boolean;
  hasPassword: boolean;
  linkedProviders: string[];
  createdAt: string;
};
export type CvSummary = {
  id: string;
  fileName: string;
  fileSize: number;
  mimeType: string | null;
  pageCount: number | null;
  skills: string[];
  uploadedAt: string;
};
type Field<T> = { value: T; confidence: number };
export type CvProfile = {
  name?: Field<string | null>;
  email?: Field<string | null>;
  phone?: Field<string | null>;
  location?: Field<string | null>;
  links?: Field<string[]>;
  summary?: Field<string | null>;
  skills?: Field<string[]>;
  experience?: Field<
    Array<{
      title: string | null;
      company: string | null;
      start: string | null;
      end: string | null;
      description: string;
    }>
  >;
  education?: Field<
    Array<{ institution: string | null; degree: string | null; start: string | null; end: string | null }>
  >;
  languages?: Field<string[]>;
  totalYearsExperience?: Field<number | null>;
};
export type Cv = CvSummary & { parsedContent: string; profile: CvProfile };
export const STATUSES = ['submitted', 'reviewing', 'interview', 'offer', 'rejected', 'accepted', 'withdrawn'] as const;
export type Status = (typeof STATUSES)[number];
export type Application = {
  id: string;
  jobId: string;
  cvId: string;
  status: Status;
  coverLetter: string | null;
  submittedAt: string;
  updatedAt: string;
  nextStep: string | null;
  nextStepAt: string | null;
  remindAt: string | null;
  job: { id: string; title: string; company: string; location: string | null } | null;
};
export type ApplicationDetail = Application & {
  archived: boolean;
  history: Array<{ status: Status; notes: string | null; at: string }>;
  notes: Array<{ id: string; body: string; authorId: string | null; createdAt: string }>;
};
export type Page<T> = { data: T[]; nextCursor: string | null };
export type Bookmark = { jobId: string; createdAt: string; job: JobSummary };
export type SessionInfo = {
  id: string;
  current: boolean;
  userAgent: string | null;
  ipAddress: string | null;
  createdAt: string;
  lastAccessed: string;
};
export type ApiKey = {
  id: string;
  name: string;
  prefix: string | null;
  permissions: string[];
  active: boolean;
  expiresAt: string | null;
  lastUsed: string | null;
  createdAt: string;
};
export type Notification = {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  readAt: string | null;
  createdAt: string;
};
export type SavedSearch = {
  id: string;
  name: string;
  query: Record<string, unknown>;
  frequency: string;
  createdAt: string;
};
