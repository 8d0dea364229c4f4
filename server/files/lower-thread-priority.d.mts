// Types of lower-thread-priority.mjs (plain JavaScript, so that a checking thread can load it before tsx).
export declare const BACKGROUND_NICE: number;
export declare function lowerThisThreadPriority(nice?: number): boolean;
