/**
 * Message segments. Base shapes shared by every package; the full catalogue of
 * standard and extension segments is declared in this file.
 */

/** Any segment: a type and a flat record of data. Unknown types pass through. */
export interface Segment<T extends string = string, D = Record<string, unknown>> {
  type: T;
  data: D;
}

/** A message in segment-array form. */
export type SegmentArray = Segment[];

/** What an API `message` parameter may be: a CQ string, one segment or many. */
export type MessageInput = string | Segment | Segment[];

/** The two wire formats of a message (`messagePostFormat`). */
export type MessageFormat = 'array' | 'string';
