/** Runs in every test file (jest.config.js setupFilesAfterEnv): its temporary folders go when it ends. */
import { removeTempDirs } from './files';

afterAll(removeTempDirs);
