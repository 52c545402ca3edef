export declare const DEFAULT_ADMIN_URL: string;
export declare function databaseUrl(name: string): string;
export declare function dropDatabase(name: string): Promise<void>;
export declare function createDatabase(name: string): Promise<string>;
