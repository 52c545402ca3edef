/** UTC, minutes: the console shows one unambiguous form everywhere. */
export const formatTime = (d: Date) => d.toISOString().slice(0, 16).replace("T", " ");
export const formatDate = (d: Date) => d.toISOString().slice(0, 10);

export const SUBSCRIPTION_TYPE_LABEL: Record<string, string> = {
  OPEN: "Open — anyone subscribes at once",
  APPROVAL: "On approval — an owner or a governor decides",
  AUTO: "Automatic — users matching a condition",
  MANUAL: "Manual — owners add subscribers",
};
