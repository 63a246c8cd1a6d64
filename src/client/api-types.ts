// Generated from docs/openapi.json by `npm run openapi` (openapi-typescript): do not edit.
export interface paths {
    "/api/v1/repositories": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List repositories */
        get: {
            parameters: {
                query?: {
                    /** @description return results after this key */
                    after?: string;
                    amount?: number;
                    prefix?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            pagination: {
                                hasMore: boolean;
                                maxPerPage: number;
                                nextOffset?: string;
                                results: number;
                            };
                            results: {
                                createdAt: string;
                                defaultBranch: string;
                                name: string;
                                /** @description where its objects live (a local folder or s3://bucket/prefix) */
                                storage: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create a repository */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        defaultBranch?: string;
                        name: string;
                        /** @description s3://bucket/prefix (required on S3) */
                        storage?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            defaultBranch: string;
                            name: string;
                            /** @description where its objects live (a local folder or s3://bucket/prefix) */
                            storage: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a repository */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            createdAt: string;
                            defaultBranch: string;
                            name: string;
                            /** @description where its objects live (a local folder or s3://bucket/prefix) */
                            storage: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/branches": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List branches */
        get: {
            parameters: {
                query?: {
                    /** @description return results after this key */
                    after?: string;
                    amount?: number;
                    prefix?: string;
                };
                header?: never;
                path: {
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            pagination: {
                                hasMore: boolean;
                                maxPerPage: number;
                                nextOffset?: string;
                                results: number;
                            };
                            results: components["schemas"]["Branch"][];
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create a branch */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    repository: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        /** @description ref to branch from (default: the default branch) */
                        source?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Branch"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/branches/{branch}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a branch */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    branch: string;
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Branch"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a branch (and its uncommitted changes) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    branch: string;
                    repository: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{repository}/branches/{branch}/reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Reset a branch: to a commit (`to`), or discard its staged changes (optionally under `path`) */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    branch: string;
                    repository: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        path?: string;
                        to?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            branch: components["schemas"]["Branch"];
                            discarded?: number;
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/server": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The server: its version and default repository */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            defaultRepository: string;
                            version: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/user": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in user and its groups */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            groups: string[];
                            name: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Branch: {
            createdAt: string;
            head: string;
            isDefault: boolean;
            name: string;
        };
        BranchInput: {
            createdAt: string;
            head: string;
            isDefault: boolean;
            name: string;
        };
        Change: {
            left?: {
                address: string;
                checksum: string;
                contentType: string;
                metadata: {
                    [key: string]: string;
                };
                size: number;
            };
            path: string;
            right?: {
                address: string;
                checksum: string;
                contentType: string;
                metadata: {
                    [key: string]: string;
                };
                size: number;
            };
            /** @enum {string} */
            type: "added" | "removed" | "changed";
        };
        ChangeInput: {
            left?: {
                address: string;
                checksum: string;
                contentType: string;
                metadata: {
                    [key: string]: string;
                };
                size: number;
            };
            path: string;
            right?: {
                address: string;
                checksum: string;
                contentType: string;
                metadata: {
                    [key: string]: string;
                };
                size: number;
            };
            /** @enum {string} */
            type: "added" | "removed" | "changed";
        };
        Commit: {
            committer: string;
            createdAt: string;
            generation: number;
            id: string;
            message: string;
            metadata: {
                [key: string]: string;
            };
            parents: string[];
            tree: string;
        };
        CommitInput: {
            committer: string;
            createdAt: string;
            generation: number;
            id: string;
            message: string;
            metadata: {
                [key: string]: string;
            };
            parents: string[];
            tree: string;
        };
        Entry: {
            address: string;
            checksum: string;
            contentType: string;
            metadata: {
                [key: string]: string;
            };
            path: string;
            size: number;
        };
        EntryInput: {
            address: string;
            checksum: string;
            contentType: string;
            metadata: {
                [key: string]: string;
            };
            path: string;
            size: number;
        };
        Error: {
            error: {
                /** @description stable error code, the class name (BranchNotFoundError …) */
                code: string;
                data: unknown;
                message: string;
            };
        };
        ErrorInput: {
            error: {
                /** @description stable error code, the class name (BranchNotFoundError …) */
                code: string;
                data: unknown;
                message: string;
            };
        };
        Tag: {
            commit: string;
            createdAt: string;
            name: string;
        };
        TagInput: {
            commit: string;
            createdAt: string;
            name: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
