/**
 * Message segments: the base shapes every package uses, and the catalogue of
 * standard OneBot 11 segments plus the common extensions.
 *
 * The data types are type aliases, not interfaces, on purpose: an object type
 * alias is assignable to `Record<string, unknown>`, so every precise segment
 * is also a plain `Segment` and code written against the loose shape keeps
 * working.
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

/**
 * A segment data value that is numeric in meaning. On the wire values are
 * strings (that is what the CQ string form gives back), but numbers are
 * accepted on input and some backends send them.
 */
export type SegmentNumber = string | number;

/** A boolean-ish data value: `"1"`/`"0"`, `"true"`/`"false"` or a boolean. */
export type SegmentFlag = string | number | boolean;

/** Fields shared by the media segments (image, record, video) when sending. */
export type MediaFetchOptions = {
  /** Received: the media URL. */
  url?: string;
  /** Use the cached file when `file` is a URL (default 1). */
  cache?: SegmentFlag;
  /** Download through the proxy (default 1). */
  proxy?: SegmentFlag;
  /** Download timeout in seconds. */
  timeout?: SegmentNumber;
};

export type TextSegmentData = { text: string };
export type FaceSegmentData = {
  id: SegmentNumber;
  /** Extension: super face / large face. */ large?: SegmentFlag;
};
export type ImageSegmentData = MediaFetchOptions & {
  /** File name, absolute `file://` path, `http(s)://` URL or `base64://` data. */
  file: string;
  /** `flash` for a flash image; absent for a normal one. */
  type?: 'flash' | 'show' | string;
  /** Extension: 0 normal image, 1 sticker. */
  sub_type?: SegmentNumber;
  /** Extension: the text shown in previews, e.g. `[图片]`. */
  summary?: string;
  /** Extension: file size in bytes, when known. */
  file_size?: SegmentNumber;
};
export type RecordSegmentData = MediaFetchOptions & {
  file: string;
  /** 1 for a voice-changed record. */
  magic?: SegmentFlag;
  /** Extension: path on the backend machine after download. */
  path?: string;
  file_size?: SegmentNumber;
};
export type VideoSegmentData = MediaFetchOptions & {
  file: string;
  /** Extension: cover image. */
  thumb?: string;
  file_size?: SegmentNumber;
};
export type AtSegmentData = {
  /** A QQ number, or `"all"` for everyone. */
  qq: SegmentNumber | 'all';
  /** Extension: the display name used when the member is not found. */
  name?: string;
};
export type EmptySegmentData = Record<string, never>;
export type RpsSegmentData = { /** Extension: the result, when received. */ result?: SegmentNumber };
export type DiceSegmentData = { /** Extension: the result, when received. */ result?: SegmentNumber };
export type ShakeSegmentData = EmptySegmentData;
export type PokeSegmentData = { type: SegmentNumber; id: SegmentNumber; name?: string };
export type AnonymousSegmentData = {
  /** 1: send as a normal message when anonymity is not possible. */ ignore?: SegmentFlag;
};
export type ShareSegmentData = { url: string; title: string; content?: string; image?: string };
export type ContactSegmentData = { type: 'qq' | 'group'; id: SegmentNumber };
export type LocationSegmentData = {
  lat: SegmentNumber;
  lon: SegmentNumber;
  title?: string;
  content?: string;
};
export type MusicSegmentData =
  | { type: 'qq' | '163' | 'xm' | 'kugou' | 'migu' | 'kuwo'; id: SegmentNumber }
  | { type: 'custom'; url: string; audio: string; title: string; content?: string; image?: string };
export type ReplySegmentData = { id: SegmentNumber };
export type ForwardSegmentData = {
  /** The forward id, for `get_forward_msg`. */
  id: string;
  /** Extension: the nodes, when the backend inlines them. */
  content?: unknown;
};
/** A forward node by the id of an existing message. */
export type NodeByIdData = { id: SegmentNumber };
/** A custom forward node, OneBot 11 spelling. */
export type CustomNodeData = {
  user_id: SegmentNumber;
  nickname: string;
  content: MessageInput;
  /** Extension: when the node was sent, seconds. */
  time?: SegmentNumber;
};
/** A custom forward node, go-cqhttp spelling (accepted as an alias). */
export type CustomNodeCqhttpData = {
  uin: SegmentNumber;
  name: string;
  content: MessageInput;
  time?: SegmentNumber;
  seq?: SegmentNumber;
};
export type NodeSegmentData = NodeByIdData | CustomNodeData | CustomNodeCqhttpData;
export type XmlSegmentData = { data: string; /** Extension. */ resid?: SegmentNumber };
export type JsonSegmentData = { data: string; /** Extension. */ resid?: SegmentNumber };
/** Extension (NapCat, LLOneBot): a market face (sticker from the store). */
export type MfaceSegmentData = {
  emoji_id: string;
  emoji_package_id: SegmentNumber;
  key: string;
  summary?: string;
  url?: string;
};
/** Extension: a markdown message. */
export type MarkdownSegmentData = { content: string };
/** Extension: a file. */
export type FileSegmentData = {
  file: string;
  name?: string;
  url?: string;
  path?: string;
  file_id?: string;
  file_size?: SegmentNumber;
};

/** Segment type -> its `data`. Extend it by declaration merging for your own segments. */
export interface SegmentMap {
  text: TextSegmentData;
  face: FaceSegmentData;
  image: ImageSegmentData;
  record: RecordSegmentData;
  video: VideoSegmentData;
  at: AtSegmentData;
  rps: RpsSegmentData;
  dice: DiceSegmentData;
  shake: ShakeSegmentData;
  poke: PokeSegmentData;
  anonymous: AnonymousSegmentData;
  share: ShareSegmentData;
  contact: ContactSegmentData;
  location: LocationSegmentData;
  music: MusicSegmentData;
  reply: ReplySegmentData;
  forward: ForwardSegmentData;
  node: NodeSegmentData;
  xml: XmlSegmentData;
  json: JsonSegmentData;
  mface: MfaceSegmentData;
  markdown: MarkdownSegmentData;
  file: FileSegmentData;
}

export type SegmentType = keyof SegmentMap;

/** The precise segment of one type, e.g. `SegmentOf<'image'>`. */
export type SegmentOf<T extends SegmentType> = Segment<T, SegmentMap[T]>;

/** Any standard or extension segment, discriminated by `type`. */
export type StandardSegment = { [T in SegmentType]: SegmentOf<T> }[SegmentType];

export type TextSegment = SegmentOf<'text'>;
export type FaceSegment = SegmentOf<'face'>;
export type ImageSegment = SegmentOf<'image'>;
export type RecordSegment = SegmentOf<'record'>;
export type VideoSegment = SegmentOf<'video'>;
export type AtSegment = SegmentOf<'at'>;
export type RpsSegment = SegmentOf<'rps'>;
export type DiceSegment = SegmentOf<'dice'>;
export type ShakeSegment = SegmentOf<'shake'>;
export type PokeSegment = SegmentOf<'poke'>;
export type AnonymousSegment = SegmentOf<'anonymous'>;
export type ShareSegment = SegmentOf<'share'>;
export type ContactSegment = SegmentOf<'contact'>;
export type LocationSegment = SegmentOf<'location'>;
export type MusicSegment = SegmentOf<'music'>;
export type ReplySegment = SegmentOf<'reply'>;
export type ForwardSegment = SegmentOf<'forward'>;
export type NodeSegment = SegmentOf<'node'>;
export type XmlSegment = SegmentOf<'xml'>;
export type JsonSegment = SegmentOf<'json'>;
export type MfaceSegment = SegmentOf<'mface'>;
export type MarkdownSegment = SegmentOf<'markdown'>;
export type FileSegment = SegmentOf<'file'>;
