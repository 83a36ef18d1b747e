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
export type JobPage = {
  data: JobHit[];
  nextCursor: string | null;
  facets?: JobFacets;
  /** "Did you mean": when a text search found nothing. */
  suggestion?: { query: string };
};
export type JobDetail = JobSummary & {
  description: string;
  /** A job the caller added to track (found elsewhere): private to them, not in the catalogue. */
  tracked: boolean;
  /** Sanitised HTML of an imported description (render only through SafeHtml). */
  descriptionHtml: string | null;
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
  /** The role the CV states under the name ("Java Developer"). */
  headline?: Field<string | null>;
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
    Array<{
      institution: string | null;
      degree: string | null;
      field: string | null;
      grade: string | null;
      start: string | null;
      end: string | null;
    }>
  >;
  languages?: Field<string[]>;
  totalYearsExperience?: Field<number | null>;
};
export type Cv = CvSummary & { parsedContent: string; profile: CvProfile; corrections?: Record<string, unknown> };
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
  job: { id: string; title: string; company: string; location: string | null; tracked: boolean } | null;
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
export type MatchBand = 'excellent' | 'good' | 'fair' | 'poor';
export type MatchPart = { name: string; points: number; max: number; detail: string };
export type MatchJob = {
  id: string;
  title: string;
  company: string;
  location: string | null;
  remote: boolean;
  experienceLevel: string | null;
  jobType: string;
  salaryCurrency: string;
  salaryYearlyMin: number | null;
  salaryYearlyMax: number | null;
  postedDate: string;
};
export type MatchResult = {
  jobId: string;
  cvId: string;
  job: MatchJob;
  score: number;
  band: MatchBand;
  parts: MatchPart[];
  covered: Array<{ skill: string; name: string; importance: string; evidence: string }>;
  missing: Array<{ skill: string; name: string; importance: string; learnable: boolean; relatedTo: string[] }>;
  reasons: string[];
};
export type MatchPage = {
  data: Array<{
    job: MatchJob;
    score: number;
    band: MatchBand;
    parts: MatchPart[];
    covered: string[];
    missing: string[];
  }>;
  nextCursor: string | null;
};
export const TONES = ['professional', 'friendly', 'enthusiastic'] as const;
export const LENGTHS = ['short', 'medium', 'long'] as const;
export type CoverLetter = {
  id: string;
  jobId: string | null;
  cvId: string | null;
  applicationId: string | null;
  tone: string;
  length: string;
  generator: string;
  /** pending: the model is still writing it (body empty); failed: see error. */
  status: 'pending' | 'ready' | 'failed';
  error: string | null;
  body: string;
  facts: { skills?: string[]; removedSentences?: number; fallbackReason?: string } & Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
};
export type Plan = {
  name: string;
  prices: Array<{
    amount: number;
    currency: 'USD' | 'INR';
    interval: 'month' | 'year';
    providers: Array<'stripe' | 'phonepe'>;
  }>;
  limits: Record<string, number | null>;
  /** The limits count per UTC day, week or month. */
  period: 'day' | 'week' | 'month';
  apiKeys: boolean;
  providers: Array<'stripe' | 'phonepe'>;
};
export type Usage = {
  plan: string;
  period: 'day' | 'week' | 'month';
  periodStart: string;
  actions: Array<{ action: string; used: number; limit: number | null; resetsAt: string }>;
};
export type Subscription = {
  id: string;
  planId: string;
  billingInterval: string;
  status: string;
  paymentMethod: string;
  /** PhonePe: renewed by a UPI AutoPay mandate. */
  autopay: boolean;
  currentPeriodStart: string;
  currentPeriodEnd: string;
  cancelAtPeriodEnd: boolean;
  canceledAt: string | null;
  pastDueSince: string | null;
  createdAt: string;
};
export type Payment = {
  id: string;
  planId: string | null;
  amount: number;
  refundedAmount: number;
  currency: string;
  status: string;
  paymentMethod: string;
  createdAt: string;
};
export type Billing = {
  plan: string;
  planStatus: string;
  renewsAt: string | null;
  subscriptions: Subscription[];
  payments: Payment[];
};
export type DataExport = {
  id: string;
  status: string;
  sizeBytes: number | null;
  createdAt: string;
  readyAt: string | null;
  expiresAt: string | null;
};
